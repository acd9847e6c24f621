#!/usr/bin/env bash
# Builds the static front end into public/ at fixed addresses (route-handler
# pages cannot know Next's hashed asset names): CSS compiled from govuk-frontend
# Sass, the govuk-frontend JavaScript module, and its fonts and images.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p public/stylesheets public/javascripts public/assets
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  frontend/application.scss public/stylesheets/application.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js public/javascripts/govuk-frontend.min.js
cp frontend/*.mjs public/javascripts/
# The accessible autocomplete (alphagov), loaded only by pages that enhance a select with it.
cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js public/javascripts/
cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css public/stylesheets/
rm -rf public/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets public/assets
echo "assets built: $(wc -c < public/stylesheets/application.css) bytes of CSS ($(gzip -c public/stylesheets/application.css | wc -c) gzip)"
