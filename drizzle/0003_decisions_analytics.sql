CREATE TABLE "analytics_failures" (
	"workspace_id" uuid NOT NULL,
	"fingerprint" text NOT NULL,
	"flow_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"block_type" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"sample_execution_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	CONSTRAINT "analytics_failures_workspace_id_bucket_fingerprint_flow_id_pk" PRIMARY KEY("workspace_id","bucket","fingerprint","flow_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_latency" (
	"workspace_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"metric" smallint NOT NULL,
	"value" integer NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_latency_workspace_id_bucket_flow_id_node_id_metric_value_pk" PRIMARY KEY("workspace_id","bucket","flow_id","node_id","metric","value")
);
--> statement-breakpoint
CREATE TABLE "analytics_node_hours" (
	"workspace_id" uuid NOT NULL,
	"flow_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"block_type" text DEFAULT '' NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(18, 8) DEFAULT '0' NOT NULL,
	"priced_calls" integer DEFAULT 0 NOT NULL,
	"unknown_cost_calls" integer DEFAULT 0 NOT NULL,
	"decisions" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"incorrect" integer DEFAULT 0 NOT NULL,
	"partial" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_node_hours_workspace_id_bucket_flow_id_node_id_model_pk" PRIMARY KEY("workspace_id","bucket","flow_id","node_id","model")
);
--> statement-breakpoint
CREATE TABLE "decision_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patterns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"flow_id" uuid,
	"node_id" text,
	"when" text NOT NULL,
	"expect" jsonb,
	"example_decision_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "flow_id" uuid;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "flow_version_id" uuid;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "iteration" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "is_test" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "route" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "model" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "latency_ms" integer;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "tokens_in" integer;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "tokens_out" integer;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "cost_usd" numeric(14, 8);--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "feedback_categories" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "corrected_output" jsonb;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "feedback_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "flow_executions" ADD COLUMN "kind" text DEFAULT 'flow' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_failures" ADD CONSTRAINT "analytics_failures_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_latency" ADD CONSTRAINT "analytics_latency_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_node_hours" ADD CONSTRAINT "analytics_node_hours_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_categories" ADD CONSTRAINT "decision_categories_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_categories" ADD CONSTRAINT "decision_categories_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patterns" ADD CONSTRAINT "patterns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patterns" ADD CONSTRAINT "patterns_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patterns" ADD CONSTRAINT "patterns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "decision_categories_workspace_name_key" ON "decision_categories" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "patterns_workspace_id_idx" ON "patterns" USING btree ("workspace_id","created_at");--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_workspace_flow_node_idx" ON "decisions" USING btree ("workspace_id","flow_id","node_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_execution_node_iteration_key" ON "decisions" USING btree ("execution_id","node_id","iteration");