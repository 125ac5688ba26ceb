import activeSession from './active-session';

export default { 'active-session': activeSession };
