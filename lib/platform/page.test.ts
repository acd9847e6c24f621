import { afterEach, describe, expect, it } from 'vitest';
import { reloadConfig } from './config';
import { HttpError, ServiceUnavailableError } from './errors';
import { pageRoute, renderPage } from './page';

const get = () => new Request('http://localhost:3000/somewhere');

describe('pageRoute', () => {
  afterEach(() => reloadConfig({ LOG_LEVEL: 'silent' }));

  it('renders the page the handler returns', async () => {
    const route = pageRoute((page) => renderPage(page, 'pages/contact.njk'));
    const response = await route(get());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1 class="govuk-heading-xl">Contact us</h1>');
  });

  it('turns an unexpected error into the "problem with the service" page, without details', async () => {
    const route = pageRoute(() => {
      throw new Error('secret detail: NHS number 9434765919');
    });
    const response = await route(get());
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain('Sorry, there is a problem with the service');
    expect(html).not.toContain('secret detail');
  });

  it('answers an unreachable dependency with the "service unavailable" page', async () => {
    const route = pageRoute(() => {
      throw new ServiceUnavailableError('database');
    });
    const response = await route(get());
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Sorry, the service is unavailable');
  });

  it('answers a refused request with its own status', async () => {
    const route = pageRoute(() => {
      throw new HttpError(413, 'form-too-large');
    });
    const response = await route(get());
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('Sorry, what you sent is too long');
  });

  it('shows every page as unavailable in maintenance mode', async () => {
    reloadConfig({ LOG_LEVEL: 'silent', MAINTENANCE_MODE: 'true' });
    const route = pageRoute((page) => renderPage(page, 'pages/contact.njk'));
    const response = await route(get());
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3600');
  });
});

describe('pageRoute and the database', () => {
  it('answers "service unavailable" when the database cannot be reached', async () => {
    const route = pageRoute(() => {
      throw Object.assign(new Error("Can't reach database server"), { code: 'P1001' });
    });
    const response = await route(get());
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Sorry, the service is unavailable');
  });
});
