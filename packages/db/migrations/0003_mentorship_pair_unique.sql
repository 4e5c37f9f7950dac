-- jam-db:allow create-index-without-concurrently mentorships holds one row per pairing, so the build blocks its writes only briefly, and it must see the same rows as the duplicate check before it in this transaction
-- Before this migration, identical concurrent POST /mentorships could pair the same
-- mentor and participant several times. Copies that hold nothing (no session notes,
-- no ratings) beside another row of the same pair and status are removed: losing
-- them loses nothing. Of copies that are all empty, the oldest stays.
DELETE FROM "mentorships" AS "copy"
WHERE ("copy"."session_notes" IS NULL OR "copy"."session_notes" = '[]'::jsonb)
	AND "copy"."mentor_rating" IS NULL
	AND "copy"."participant_rating" IS NULL
	AND EXISTS (
		SELECT 1 FROM "mentorships" AS "kept"
		WHERE "kept"."mentor_id" = "copy"."mentor_id"
			AND "kept"."participant_id" = "copy"."participant_id"
			AND "kept"."status" = "copy"."status"
			AND "kept"."id" <> "copy"."id"
			AND (
				("kept"."session_notes" IS NOT NULL AND "kept"."session_notes" <> '[]'::jsonb)
				OR "kept"."mentor_rating" IS NOT NULL
				OR "kept"."participant_rating" IS NOT NULL
				OR ("kept"."created_at", "kept"."id") < ("copy"."created_at", "copy"."id")
			)
	);
--> statement-breakpoint
-- Duplicates that hold notes, ratings or different statuses need a person to merge
-- them: stop here (nothing of this migration is kept) rather than guess.
DO $$
DECLARE
	duplicated_pairs integer;
BEGIN
	SELECT count(*) INTO duplicated_pairs
	FROM (
		SELECT 1 FROM "mentorships" GROUP BY "mentor_id", "participant_id" HAVING count(*) > 1
	) AS "pairs";
	IF duplicated_pairs > 0 THEN
		-- The CLI prints the message, not the hint: the way out goes in the message.
		RAISE EXCEPTION '% mentor/participant pair(s) have several mentorships that hold session notes, ratings or different statuses, so they cannot be made unique automatically. List them with SELECT mentor_id, participant_id, count(*) FROM mentorships GROUP BY 1, 2 HAVING count(*) > 1; merge each pair''s notes and ratings into one row, delete the others, then migrate again', duplicated_pairs;
	END IF;
END $$;
--> statement-breakpoint
CREATE UNIQUE INDEX "mentorships_pair_unique" ON "mentorships" USING btree ("mentor_id","participant_id");
