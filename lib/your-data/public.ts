/** What other parts of the service use of "Your data" (the worker). Other capabilities import only this module. */
export { prepareWaitingExports, removeExpiredExports } from './store';
