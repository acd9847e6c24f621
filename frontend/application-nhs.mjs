// The NHS brand's enhancements (BRAND=nhs): NHS.UK Frontend's instead of GOV.UK Frontend's.
// Every page works without this file.
import { initAll } from './nhsuk-frontend.min.js';
import { initTimeoutWarning } from './timeout-warning.mjs';

initAll();

const timeoutWarning = document.querySelector('[data-module="app-timeout-warning"]');
if (timeoutWarning) initTimeoutWarning(timeoutWarning);
