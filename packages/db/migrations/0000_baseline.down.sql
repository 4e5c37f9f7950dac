-- jam-db:data-loss
-- drops every Jam table (users, programs, projects, quests, user_quests) and all their rows.
DROP TABLE "user_quests";
--> statement-breakpoint
DROP TABLE "projects";
--> statement-breakpoint
DROP TABLE "quests";
--> statement-breakpoint
DROP TABLE "programs";
--> statement-breakpoint
DROP TABLE "users";
