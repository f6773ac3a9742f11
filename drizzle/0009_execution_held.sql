ALTER TABLE "flow_executions" ADD COLUMN "held" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Runs held the old way (wake_at in the year 9999) are held explicitly.
UPDATE "flow_executions" SET "held" = true, "wake_at" = NULL WHERE "status" = 'pending' AND "wake_at" >= '9999-01-01T00:00:00Z';
