-- Down script of 0003_mentorship_pair_unique, written by jam-db generate-down; proven by jam-db verify.
-- The empty duplicate pairings the up script removed held no notes or ratings and are not restored.
DROP INDEX "mentorships_pair_unique";
