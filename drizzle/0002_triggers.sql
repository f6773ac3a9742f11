CREATE TABLE "schedule_slots" (
	"schedule_id" uuid NOT NULL,
	"slot_at" timestamp with time zone NOT NULL,
	"workspace_id" uuid NOT NULL,
	"execution_id" uuid,
	"outcome" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedule_slots_schedule_id_slot_at_pk" PRIMARY KEY("schedule_id","slot_at")
);
--> statement-breakpoint
ALTER TABLE "webhook_invocations" ADD COLUMN "deduplicated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "rate_limit_per_minute" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "max_body_bytes" integer DEFAULT 1048576 NOT NULL;--> statement-breakpoint
ALTER TABLE "schedule_slots" ADD CONSTRAINT "schedule_slots_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_slots" ADD CONSTRAINT "schedule_slots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_slots" ADD CONSTRAINT "schedule_slots_execution_id_flow_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."flow_executions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "schedule_slots_workspace_id_idx" ON "schedule_slots" USING btree ("workspace_id","schedule_id");