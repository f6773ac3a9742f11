CREATE TABLE "block_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"block_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"config" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "blocks" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "kind" text DEFAULT 'flow' NOT NULL;--> statement-breakpoint
ALTER TABLE "block_test_runs" ADD COLUMN "execution_id" uuid;--> statement-breakpoint
ALTER TABLE "block_test_runs" ADD COLUMN "block_version" integer;--> statement-breakpoint
ALTER TABLE "block_test_runs" ADD COLUMN "replay_of" uuid;--> statement-breakpoint
ALTER TABLE "block_test_runs" ADD COLUMN "tokens_per_second" double precision;--> statement-breakpoint
ALTER TABLE "block_versions" ADD CONSTRAINT "block_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "block_versions" ADD CONSTRAINT "block_versions_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "block_versions" ADD CONSTRAINT "block_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "block_versions_workspace_id_idx" ON "block_versions" USING btree ("workspace_id","block_id");--> statement-breakpoint
CREATE UNIQUE INDEX "block_versions_block_id_version_key" ON "block_versions" USING btree ("block_id","version");--> statement-breakpoint
ALTER TABLE "block_test_runs" ADD CONSTRAINT "block_test_runs_execution_id_flow_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."flow_executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "flows_block_tests_key" ON "flows" USING btree ("workspace_id") WHERE "flows"."kind" = 'block_tests';--> statement-breakpoint
CREATE INDEX "block_test_runs_block_idx" ON "block_test_runs" USING btree ("workspace_id","block_id","created_at");--> statement-breakpoint
CREATE INDEX "block_test_runs_node_idx" ON "block_test_runs" USING btree ("workspace_id","flow_id","node_id","created_at");--> statement-breakpoint
CREATE INDEX "block_test_runs_execution_idx" ON "block_test_runs" USING btree ("execution_id");--> statement-breakpoint
-- Every saved block gets its first version (what it holds now).
INSERT INTO "block_versions" ("workspace_id", "block_id", "version", "name", "description", "type", "config", "created_by", "created_at")
SELECT "workspace_id", "id", 1, "name", "description", "type", "config", "created_by", "updated_at" FROM "blocks";
