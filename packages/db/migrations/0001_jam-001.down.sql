-- jam-db:data-loss
-- drops the mentorships table and the columns JAM-001 added to programs, projects, quests and user_quests, with the data they hold.
DROP TABLE "mentorships";
--> statement-breakpoint
DROP FUNCTION "jam_set_updated_at"();
--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "organizer", DROP COLUMN "application_url", DROP COLUMN "submission_deadline", DROP COLUMN "tracks";
--> statement-breakpoint
ALTER TABLE "projects" DROP COLUMN "repository_url", DROP COLUMN "video_url", DROP COLUMN "production_url", DROP COLUMN "website";
--> statement-breakpoint
ALTER TABLE "quests" DROP COLUMN "available_from", DROP COLUMN "due_date", DROP COLUMN "category", DROP COLUMN "difficulty";
--> statement-breakpoint
ALTER TABLE "user_quests" DROP COLUMN "submission_text", DROP COLUMN "submission_urls";
