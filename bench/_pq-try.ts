import { analysePhoto } from '../cms/src/plugins/eas/server/src/utils/photo-quality';
import * as f from '../cms/src/plugins/eas/server/src/utils/__tests__/photo-fixtures';
import { hamming } from '../cms/src/plugins/eas/shared/photo-quality';
(async () => {
  const s = await f.scene(0); const o = await f.scene(7);
  const r: Record<string, any> = {};
  for (const [name, b] of Object.entries({ s, o, o2: await f.scene(0), blurred: await f.blurred(s), dark: await f.dark(s), burnt: await f.burnt(s), tiny: await f.tiny(s), crop: await f.recropped(s) })) { r[name] = await analysePhoto(b); console.log(name, JSON.stringify(r[name])); }
  for (const k of Object.keys(r)) console.log(k, hamming(r.s.hash ?? '', r[k].hash ?? ''));
})();
