/**
 * Referrals, the clinic address book, imaging orders and hospital care notices.
 */
export const referralsChannels = {};
