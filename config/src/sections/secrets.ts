/** [secrets]: where file: secret references may point. */
import { optionalStr, table } from '../schema.js';

export const secrets = table('Where file: secret references may point.', {
  file_dir: optionalStr(
    'The only folder "file:PATH" secrets may be in; relative to this file\'s folder, like relative file: paths. Default: the folder of this file.',
  ),
});
