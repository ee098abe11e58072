/**
 * One fresh code-server profile with both extensions installed. Both are installed in the
 * same profile so every window scans and registers the same two extensions: the only
 * difference between an "ours" run and a "baseline" run is which one gets activated.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { codeServerEntry, codeServerNode, createProfile, type Profile } from '../../e2e/support/codeServer';

export function createBenchProfile(ourVsix: string, baselineVsix: string): Profile {
  // Probing local ports at activation would add time that depends on this machine.
  const profile = createProfile(ourVsix, { 'patchbay.discoverLocalServers': false });
  // createProfile installs one .vsix; the second goes in with the same flags and the same
  // isolated home (codeServer.ts does not export its environment helper).
  execFileSync(
    codeServerNode(),
    [codeServerEntry(), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', baselineVsix],
    {
      stdio: 'pipe',
      env: {
        ...process.env,
        HOME: profile.root,
        XDG_CONFIG_HOME: path.join(profile.root, 'xdg-config'),
        XDG_DATA_HOME: path.join(profile.root, 'xdg-data'),
        PATCHBAY_HOME: profile.patchbayHome,
      },
    },
  );
  return profile;
}
