#!/usr/bin/env bash
# Builds the static front end into public/ at fixed addresses (route-handler
# pages cannot know Next's hashed asset names), for both brands (BRAND, lib/platform/config.ts):
# CSS compiled from govuk-frontend Sass (application.css) and from nhsuk-frontend Sass
# (application-nhs.css), each with only the components the service uses, each design
# system's JavaScript module (the NHS brand's bundled with only the components it uses), and
# govuk-frontend's fonts and images.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p public/stylesheets public/javascripts public/assets
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  frontend/application.scss public/stylesheets/application.css
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  frontend/application-nhs.scss public/stylesheets/application-nhs.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js public/javascripts/govuk-frontend.min.js
cp frontend/*.mjs public/javascripts/
# The NHS brand's script: frontend/application-nhs.mjs with only the NHS.UK Frontend components it
# names, in one file (the whole of NHS.UK Frontend's would be 13.7 KB gzip, this about 8).
rm -f public/javascripts/nhsuk-frontend.min.js
npx esbuild frontend/application-nhs.mjs --bundle --minify --format=esm --target=es2020 --log-level=warning \
  --outfile=public/javascripts/application-nhs.mjs --allow-overwrite
# The accessible autocomplete (alphagov), loaded only by pages that enhance a select with it.
cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js public/javascripts/
cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css public/stylesheets/
rm -rf public/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets public/assets
for css in application application-nhs; do
  echo "assets built: $css.css, $(wc -c < public/stylesheets/$css.css) bytes of CSS ($(gzip -c public/stylesheets/$css.css | wc -c) gzip)"
done
echo "assets built: application-nhs.mjs, $(wc -c < public/javascripts/application-nhs.mjs) bytes of JavaScript ($(gzip -c public/javascripts/application-nhs.mjs | wc -c) gzip)"
