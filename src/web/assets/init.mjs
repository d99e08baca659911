// Progressive enhancement only: every page works without this script.
import { initAll } from '/web/assets/nhsuk/nhsuk-frontend.min.js';

initAll();
