ALTER TABLE "offboardings" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "offboardings_unannounced_idx" ON "offboardings" USING btree ("created_at") WHERE "offboardings"."announced_at" is null;--> statement-breakpoint
-- Offboardings opened before announcements existed are not announced now, months late.
UPDATE "offboardings" SET "announced_at" = "created_at";
