/** The explorer in a real browser (Debian's Chromium through playwright-core), against `npm start`. */
module.exports = require('../../tools/jest/e2e.config')(__dirname, 'explorer-e2e');
