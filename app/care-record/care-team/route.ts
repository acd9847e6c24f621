import { careTeamPage } from '@/lib/care-record/pages';

export const GET = careTeamPage.GET;
