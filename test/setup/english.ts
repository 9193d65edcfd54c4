/** Unit tests of the PWA's modules read its texts in English, compiled from the catalogs as the build does. */
import { i18n } from '@lingui/core';
import { compileAll } from '../../server/i18n/catalogs.ts';

i18n.loadAndActivate({ locale: 'en', messages: compileAll(['en']).en! });
