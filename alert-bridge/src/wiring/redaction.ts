/**
 * What the bridge's logs and answers hide: every Secret the config schema declares (found by
 * secretValues, so a new secret key needs no list here) and the local API token. Set at start
 * and again on every reload, before the new config is used.
 */
import { readLocalToken, secretValues, type LoadedConfig } from '@traderadmin/config';
import { Redactor } from '@traderadmin/kit';

export class BridgeSecrets {
  readonly redactor = new Redactor();
  /** data/secrets/token from `traderadmin up`: guards the API unless auth_token is set. */
  localToken: string | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  use(loaded: LoadedConfig): void {
    this.localToken = readLocalToken(loaded, this.env);
    this.redactor.set([...secretValues(loaded.config, this.env), ...(this.localToken ? [this.localToken] : [])]);
  }
}
