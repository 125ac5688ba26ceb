export interface EasConfig {
  /** Public origin of the deployment (PUBLIC_URL), used for absolute links such as PDF verify URLs. */
  publicUrl: string;
}

export default {
  default: (): EasConfig => ({ publicUrl: '' }),
  validator(config: EasConfig) {
    if (config.publicUrl && !/^https?:\/\//.test(config.publicUrl)) {
      throw new Error(`eas.publicUrl (PUBLIC_URL) must start with http:// or https:// (got "${config.publicUrl}")`);
    }
  },
};
