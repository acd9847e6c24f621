/** What other capabilities use of sharing. Other capabilities import only this module. */
export { CATEGORIES, CATEGORY_TEXT, SHARED_BY_DEFAULT, isCategory, type Category } from './categories';
