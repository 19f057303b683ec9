// Builds DuckDB's `events` table from CloudTrail S3 delivery files: the same files trailbook
// ingests, loaded as typed columns in one parse (read_json with an explicit schema: timestamps,
// booleans, userIdentity and tlsDetails as structs, the free-form objects as JSON), which is
// DuckDB's fastest way to load them. Shared by bench/ingest and bench/queries.
const V = 'VARCHAR';
const RECORD = `STRUCT(
  eventVersion ${V},
  userIdentity STRUCT(type ${V}, principalId ${V}, arn ${V}, accountId ${V}, accessKeyId ${V},
    userName ${V}, invokedBy ${V},
    sessionContext STRUCT(attributes STRUCT(creationDate ${V}, mfaAuthenticated ${V}),
      sessionIssuer STRUCT(type ${V}, principalId ${V}, arn ${V}, accountId ${V}, userName ${V}))),
  eventTime TIMESTAMP, eventSource ${V}, eventName ${V}, awsRegion ${V}, sourceIPAddress ${V},
  userAgent ${V}, errorCode ${V}, errorMessage ${V},
  requestParameters JSON, responseElements JSON, additionalEventData JSON,
  requestID ${V}, eventID ${V}, readOnly BOOLEAN, resources JSON, eventType ${V},
  apiVersion ${V}, managementEvent BOOLEAN, recipientAccountId ${V}, sharedEventID ${V},
  vpcEndpointId ${V}, eventCategory ${V},
  tlsDetails STRUCT(tlsVersion ${V}, cipherSuite ${V}, clientProvidedHostHeader ${V}),
  sessionCredentialFromConsole ${V}
)`.replace(/\s+/g, ' ');

export function eventsTableSql(dataDir) {
  const glob = `${dataDir}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz`;
  return `
CREATE OR REPLACE TABLE events AS
SELECT unnest(r) FROM (
  SELECT unnest(Records) AS r
  FROM read_json('${glob}', columns = {Records: '${RECORD}[]'},
                 format = 'newline_delimited', maximum_object_size = 268435456)
);`;
}
