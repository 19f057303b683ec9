select "eventName", EVENTSOURCE, "userIdentity"."arn" as "Principal ARN"
from "events"
where "eventName" = 'it''s a test'
  and awsregion = 'us-east-1'
