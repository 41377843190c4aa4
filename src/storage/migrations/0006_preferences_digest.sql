ALTER TABLE "notifications" ALTER COLUMN "offboarding_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "notifications_held_idx" ON "notifications" USING btree ("recipient_user_id") WHERE "notifications"."status" = 'held';