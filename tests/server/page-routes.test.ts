// The page names the registries it checks against: from the verifier's policy, validated before they reach the HTML.
import { describe, expect, it } from 'vitest';
import { registryMetaTags } from '../../src/server/page-routes';
import { createVerifierApp } from '../../src/server/verifier-app';
import { createVerifier } from '../../src/verify';
import { StandInVerifier } from './stand-in-verifier';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('page registry tags', () => {
  it('the real verifier’s trusted registry is named in the page', async () => {
    const verifier = createVerifier({ policy: { trustedRegistries: [{ chainId: 31337, address: REGISTRY }] } });
    const html = await (await createVerifierApp({ verifier, rateLimit: false }).request('/')).text();
    expect(html).toContain(`<meta name="microcred-registry" content="31337 ${REGISTRY}">`);
    expect(html).not.toContain('microcred:registries');
  });

  it('a stand-in verifier without a policy names none, and an explicit option wins', async () => {
    const none = await (await createVerifierApp({ verifier: new StandInVerifier(), rateLimit: false }).request('/')).text();
    expect(none).not.toContain('microcred-registry');
    const given = await (await createVerifierApp({ verifier: new StandInVerifier(), rateLimit: false, registries: [{ chainId: 1, address: REGISTRY }] }).request('/')).text();
    expect(given).toContain(`content="1 ${REGISTRY}"`);
  });

  it('drops anything that is not a chain id and an address, so nothing reaches the HTML unescaped', () => {
    expect(registryMetaTags([{ chainId: 1, address: '0x"><script>alert(1)</script>' }, { chainId: -1, address: REGISTRY }, { chainId: 1.5, address: REGISTRY }])).toBe('');
  });
});
