// Vitest setup file (site/vitest.config.ts): modules under test speak English, as lib/i18n.ts makes them in a browser.
import { en } from '../../i18n/en';
import { useTranslator } from '../messages';
import { createTranslator } from '../translate';

useTranslator(createTranslator('en', en));
