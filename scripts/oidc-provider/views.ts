/**
 * Server-rendered pages of the demo providers: Nunjucks with the govuk-frontend macros and
 * a layout of our own (views/layout.njk), so there is no inline script and every page works
 * with JavaScript off.
 */
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';

const govukDist = path.resolve(import.meta.dirname, '../../node_modules/govuk-frontend/dist');

const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader([path.join(import.meta.dirname, 'views'), govukDist]), {
  autoescape: true,
  trimBlocks: true,
  lstripBlocks: true,
});

export const STYLESHEET_PATH = '/assets/govuk-frontend.min.css';

export function render(view: string, context: Record<string, unknown>): string {
  return environment.render(view, { stylesheetPath: STYLESHEET_PATH, ...context });
}

let stylesheetText: string | undefined;

/**
 * govuk-frontend's compiled CSS without its @font-face rules: GDS Transport is for GOV.UK
 * services only, and the pages fall back to Arial as non-GOV.UK services should.
 */
export function stylesheet(): string {
  stylesheetText ??= fs.readFileSync(path.join(govukDist, 'govuk', 'govuk-frontend.min.css'), 'utf8').replace(/@font-face\{[^}]*\}/g, '');
  return stylesheetText;
}
