import { benchBaseline } from './bench-baseline';
import bootstrap from './bootstrap';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import destroy from './destroy';
import middlewares from './middlewares';
import policies from './policies';
import register from './register';
import routes from './routes';
import services from './services';

const baseline = benchBaseline();

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes: { ...contentTypes, ...baseline.contentTypes },
  controllers: { ...controllers, ...baseline.controllers },
  routes: {
    ...routes,
    'content-api': { ...routes['content-api'], routes: [...routes['content-api'].routes, ...baseline.routes] },
  },
  services: { ...services, ...baseline.services },
  policies,
  middlewares,
};
