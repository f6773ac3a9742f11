ALTER TABLE "artifacts" ALTER COLUMN "size_bytes" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "comment_id" uuid;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "sha256" text NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "storage_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "block_executions" ADD COLUMN "reused_from_execution_id" uuid;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "iteration" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "kind" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "flow_executions" ADD COLUMN "rerun_from_node_id" text;--> statement-breakpoint
ALTER TABLE "flow_executions" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "flow_executions" ADD COLUMN "tags" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_workspace_execution_idx" ON "comments" USING btree ("workspace_id","execution_id","created_at");--> statement-breakpoint
ALTER TABLE "artifacts" DROP COLUMN "content";