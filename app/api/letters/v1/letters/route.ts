import { lettersCollection } from '@/lib/letters/api';

/** The letters API for partner organisations (signed requests, JSON): not a page. */
export const { GET, POST } = lettersCollection;
