import { letterResource } from '@/lib/letters/api';

/** One letter's status, for the organisation that sent it (signed requests, JSON): not a page. */
export const { GET } = letterResource;
