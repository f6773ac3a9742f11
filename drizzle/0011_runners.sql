CREATE TABLE "runner_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"iteration" text DEFAULT '' NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"idempotency_key" text NOT NULL,
	"block_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"runs_on" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"runner_id" uuid,
	"lease_expires_at" timestamp with time zone,
	"claims" integer DEFAULT 0 NOT NULL,
	"next_chunk" integer DEFAULT 0 NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "runner_registration_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"runner_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"credential_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"version" text,
	"hostname" text,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runner_jobs" ADD CONSTRAINT "runner_jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_jobs" ADD CONSTRAINT "runner_jobs_execution_id_flow_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."flow_executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_jobs" ADD CONSTRAINT "runner_jobs_runner_id_runners_id_fk" FOREIGN KEY ("runner_id") REFERENCES "public"."runners"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_registration_tokens" ADD CONSTRAINT "runner_registration_tokens_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runner_registration_tokens" ADD CONSTRAINT "runner_registration_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runners" ADD CONSTRAINT "runners_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runners" ADD CONSTRAINT "runners_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runner_jobs_workspace_id_status_idx" ON "runner_jobs" USING btree ("workspace_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runner_jobs_step_key" ON "runner_jobs" USING btree ("execution_id","node_id","iteration","attempt");--> statement-breakpoint
CREATE INDEX "runner_jobs_runner_id_idx" ON "runner_jobs" USING btree ("runner_id");--> statement-breakpoint
CREATE INDEX "runner_registration_tokens_workspace_id_idx" ON "runner_registration_tokens" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runner_registration_tokens_token_hash_key" ON "runner_registration_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "runners_workspace_id_idx" ON "runners" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runners_credential_hash_key" ON "runners" USING btree ("credential_hash");--> statement-breakpoint
-- A run that ends (cancelled, failed or completed by any process, on any path) takes its unfinished
-- runner jobs with it: they become cancelled and the runner holding one hears it at once
-- (NOTIFY weft_runner_cancel '<job id>'). Only terminal transitions fire it.
CREATE FUNCTION weft_cancel_runner_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  job record;
BEGIN
  FOR job IN
    UPDATE runner_jobs SET status = 'cancelled', finished_at = now(),
      error = jsonb_build_object('code', 'CANCELLED', 'message', 'The execution ended (' || NEW.status || ')')
    WHERE execution_id = NEW.id AND status IN ('queued', 'claimed')
    RETURNING id
  LOOP
    PERFORM pg_notify('weft_runner_cancel', job.id::text);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER flow_executions_cancel_runner_jobs AFTER UPDATE OF status ON flow_executions
  FOR EACH ROW WHEN (NEW.status IN ('cancelled', 'failed', 'completed') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION weft_cancel_runner_jobs();
