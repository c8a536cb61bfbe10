/** What `handoff agent status` shows: the settings, and the running agent's last status if it still runs. */
import { processAlive, readAgentSettings, readAgentStatus, type AgentSettings, type AgentStatusFile } from './home.ts';

export interface AgentReport {
  home: string;
  vendor: string;
  hqUrl: string;
  serverUrl?: string | undefined;
  root: string;
  running: boolean;
  connected: boolean;
  status?: AgentStatusFile | undefined;
}

export async function agentReport(home: string): Promise<AgentReport> {
  const settings: AgentSettings = await readAgentSettings(home);
  const status = await readAgentStatus(home);
  const running = !!status && status.state !== 'stopped' && processAlive(status.pid);
  return {
    home,
    vendor: settings.vendor,
    hqUrl: settings.hqUrl,
    ...(settings.serverUrl ? { serverUrl: settings.serverUrl } : {}),
    root: settings.root,
    running,
    connected: running && status?.state === 'connected',
    // A refusal or a revocation stays visible after the agent stopped because of it.
    ...(status ? { status: running || status.state === 'revoked' || status.state === 'refused' ? status : { ...status, state: 'stopped' as const, transfers: [] } } : {}),
  };
}
