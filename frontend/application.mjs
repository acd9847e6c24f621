// Enhancements only: every page works without this file.
import { initAll } from './govuk-frontend.min.js';
import { initTimeoutWarning } from './timeout-warning.mjs';

initAll();

const timeoutWarning = document.querySelector('[data-module="app-timeout-warning"]');
if (timeoutWarning) initTimeoutWarning(timeoutWarning);
