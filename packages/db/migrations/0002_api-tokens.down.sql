-- jam-db:data-loss
-- drops the api_tokens table: every issued API token (its hash, label and expiry) is lost, and their holders must get new tokens.
DROP TABLE "api_tokens";
