import { transportPortOf } from '@handoffs/contracts';
import { agencyTransportSettings } from './agency-transport';

describe("the gateway's transport settings", () => {
  it("take its listener's port and the agency's from the service roster unless the environment names others", () => {
    expect(agencyTransportSettings({})).toMatchObject({
      listenPort: transportPortOf('employment-agency-gateway'),
      agencyHost: '127.0.0.1',
      agencyPort: transportPortOf('agency-simulator'),
    });
    expect(agencyTransportSettings({ EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: '9001', AGENCY_ADDRESS: 'agency:9002' })).toMatchObject({
      listenPort: 9001,
      agencyHost: 'agency',
      agencyPort: 9002,
    });
  });
});
