/**
 * The organisations that may deliver letters to citizens through the letters API, by the id they
 * sign their requests with (PARTNER_KEYS, lib/platform/signed-requests.ts), and the name the
 * citizen sees. An organisation with a key that is not listed here may not send letters.
 */
export const LETTER_SENDERS = [
  { id: 'leeds-teaching-hospitals', name: 'Leeds Teaching Hospitals NHS Trust' },
  { id: 'council', name: 'Leeds City Council' },
] as const;

export type LetterSenderId = (typeof LETTER_SENDERS)[number]['id'];

/**
 * The sender that may name a person by its own reference (the letters API's councilReference):
 * the council, whose receiver gives us that reference (lib/contact-details/references.ts, where
 * it is kept under the same organisation id).
 */
export const COUNCIL_SENDER = 'council' satisfies LetterSenderId;

export function isLetterSender(id: string): id is LetterSenderId {
  return LETTER_SENDERS.some((sender) => sender.id === id);
}

/** The name a citizen sees; the id itself for a sender no longer listed (its letters stay). */
export function senderName(id: string): string {
  return LETTER_SENDERS.find((sender) => sender.id === id)?.name ?? id;
}

/** What a letter is about, as the sender says: a short list, so the inbox can say it in words. */
export const LETTER_KINDS = ['appointment', 'results', 'general'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const KIND_NAMES: Record<LetterKind, string> = {
  appointment: 'Appointment',
  results: 'Test results',
  general: 'General',
};

export function kindName(kind: string): string {
  return KIND_NAMES[kind as LetterKind] ?? 'General';
}
