import type { Core } from '@strapi/strapi';
import type services from '../services';
import { PLUGIN_ID } from '../constants';

type Services = typeof services;

/** Typed access to this plugin's services. */
export const getService = <K extends keyof Services>(strapi: Core.Strapi, name: K): ReturnType<Services[K]> =>
  strapi.plugin(PLUGIN_ID).service(name) as ReturnType<Services[K]>;
