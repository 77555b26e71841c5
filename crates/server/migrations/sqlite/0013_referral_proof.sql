-- Referral bonuses wait for proof that a customer, not a script, joined:
-- they are credited at the friend's first purchase (`credited_at`), and a
-- referrer earns at most the referral rule's daily cap of them per day.
-- Referrals recorded before this were credited when the friend joined.
ALTER TABLE referrals ADD COLUMN credited_at BIGINT;
UPDATE referrals SET credited_at = created_at;
CREATE INDEX referrals_referrer_credited ON referrals(referrer_id, credited_at);
