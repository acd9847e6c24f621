export { actingEndedPage as GET } from '@/lib/proxy/acting-pages';
