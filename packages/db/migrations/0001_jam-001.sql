CREATE TABLE "mentorships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mentor_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"session_notes" jsonb,
	"mentor_rating" integer,
	"participant_rating" integer,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "mentorships_mentor_rating_check" CHECK ("mentorships"."mentor_rating" between 1 and 5),
	CONSTRAINT "mentorships_participant_rating_check" CHECK ("mentorships"."participant_rating" between 1 and 5),
	CONSTRAINT "mentorships_not_self_check" CHECK ("mentorships"."mentor_id" <> "mentorships"."participant_id")
);
--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "organizer" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "application_url" text;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "submission_deadline" timestamp;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "tracks" text[];--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "repository_url" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "video_url" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "production_url" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "quests" ADD COLUMN "available_from" timestamp;--> statement-breakpoint
ALTER TABLE "quests" ADD COLUMN "due_date" timestamp;--> statement-breakpoint
ALTER TABLE "quests" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "quests" ADD COLUMN "difficulty" text;--> statement-breakpoint
ALTER TABLE "user_quests" ADD COLUMN "submission_text" text;--> statement-breakpoint
ALTER TABLE "user_quests" ADD COLUMN "submission_urls" text[];--> statement-breakpoint
ALTER TABLE "mentorships" ADD CONSTRAINT "mentorships_mentor_id_users_id_fk" FOREIGN KEY ("mentor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentorships" ADD CONSTRAINT "mentorships_participant_id_users_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mentorships_mentor_id_idx" ON "mentorships" USING btree ("mentor_id");--> statement-breakpoint
CREATE INDEX "mentorships_participant_id_idx" ON "mentorships" USING btree ("participant_id");--> statement-breakpoint
-- Hand-added to the generated migration: drizzle-kit does not model triggers.
-- The database keeps mentorships.updated_at current on every UPDATE, whoever writes.
CREATE FUNCTION "jam_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "mentorships_set_updated_at" BEFORE UPDATE ON "mentorships" FOR EACH ROW EXECUTE FUNCTION "jam_set_updated_at"();
