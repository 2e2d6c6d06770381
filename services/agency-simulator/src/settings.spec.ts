import { serviceEntry, transportPortOf } from '@handoffs/contracts';
import { simulatorSettings } from './settings';

describe('agency simulator settings', () => {
  it("takes its ports, and the gateway's, from the service roster unless the environment names others", () => {
    expect(simulatorSettings({})).toMatchObject({
      httpPort: serviceEntry('agency-simulator').port,
      transportPort: transportPortOf('agency-simulator'),
      gatewayHost: '127.0.0.1',
      gatewayPort: transportPortOf('employment-agency-gateway'),
    });
    expect(simulatorSettings({ PORT: '9000', AGENCY_TRANSPORT_PORT: '9001', AGENCY_GATEWAY_ADDRESS: 'gateway:9002' })).toMatchObject({
      httpPort: 9000,
      transportPort: 9001,
      gatewayHost: 'gateway',
      gatewayPort: 9002,
    });
  });
});
