// Actions of the operations, security and other services: CloudTrail, CloudWatch Logs,
// CloudWatch, AWS Config, GuardDuty, Security Hub, Access Analyzer, Route 53,
// CloudFormation, CloudFront, API Gateway, Athena, Bedrock, EventBridge, Step Functions,
// Backup, Account, SES, EFS, ElastiCache, Health and CloudShell.
#include "gen/internal/actions.h"
#include "gen/internal/aws_shapes.h"
#include "gen/internal/event_context.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {
namespace {

using json::JsonWriter;

// ---- CloudTrail -----------------------------------------------------------------------

std::string_view TrailArn(EventContext& c) {
  return c.Cat({"arn:aws:cloudtrail:us-east-1:", c.account_id(), ":trail/", c.account().trail_name});
}

void CloudTrail(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view trail = TrailArn(c);
  Rng& r = c.rng();
  if (name == "ListTrails") return;
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "LookupEvents") {
    static constexpr std::string_view kNames[] = {"ConsoleLogin", "RunInstances", "CreateUser",
                                                  "AssumeRole", "DeleteBucket", "StopLogging"};
    if (r.Chance(0.6)) {
      w.Key("lookupAttributes");
      w.BeginArray();
      w.BeginObject();
      const bool by_name = r.Chance(0.7);
      Str(w, "attributeKey", by_name ? "EventName" : "Username");
      Str(w, "attributeValue", by_name ? r.Pick(kNames) : std::string_view(c.Pick(c.res().user_names)));
      w.EndObject();
      w.EndArray();
    }
    Str(w, "startTime", c.JavaTime(c.time() - r.Between(1, 90) * 86400 * kMicrosPerSecond));
    Str(w, "endTime", c.JavaTime(c.time()));
    Int(w, "maxResults", 50);
  } else if (name == "DescribeTrails") {
    w.Key("trailNameList");
    w.BeginArray();
    w.EndArray();
    Bool(w, "includeShadowTrails", true);
  } else if (name == "GetEventSelectors" || name == "GetInsightSelectors" || name == "PutEventSelectors") {
    Str(w, "trailName", trail);
  } else {
    Str(w, "name", trail);
  }
  if (name == "UpdateTrail") {
    Str(w, "s3BucketName", c.InScenario(static_cast<uint8_t>(ScenarioKind::kTrailTampering))
                               ? c.Cat({"log-archive-", c.Random(kLowerAlnum, 8)})
                               : std::string_view(c.account().trail_bucket));
    Bool(w, "isMultiRegionTrail", !c.InScenario(static_cast<uint8_t>(ScenarioKind::kTrailTampering)));
    Bool(w, "enableLogFileValidation", false);
  }
  bool include_management = true;
  if (name == "PutEventSelectors") {
    include_management = !c.InScenario(static_cast<uint8_t>(ScenarioKind::kTrailTampering));
    w.Key("eventSelectors");
    w.BeginArray();
    w.BeginObject();
    Str(w, "readWriteType", include_management ? "All" : "ReadOnly");
    Bool(w, "includeManagementEvents", include_management);
    w.Key("dataResources");
    w.BeginArray();
    if (include_management) {
      w.BeginObject();
      Str(w, "type", "AWS::S3::Object");
      w.Key("values");
      w.BeginArray();
      w.String("arn:aws:s3");
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("excludeManagementEventSources");
    w.BeginArray();
    w.EndArray();
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
  if (name == "UpdateTrail" || name == "CreateTrail") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "name", c.account().trail_name);
    Str(o, "s3BucketName", c.account().trail_bucket);
    Bool(o, "includeGlobalServiceEvents", true);
    Bool(o, "isMultiRegionTrail", true);
    Str(o, "trailARN", trail);
    Bool(o, "logFileValidationEnabled", false);
    Bool(o, "isOrganizationTrail", c.account_index() == 0);
    o.EndObject();
  } else if (name == "PutEventSelectors") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "trailARN", trail);
    o.Key("eventSelectors");
    o.BeginArray();
    o.BeginObject();
    Str(o, "readWriteType", include_management ? "All" : "ReadOnly");
    Bool(o, "includeManagementEvents", include_management);
    o.Key("dataResources");
    o.BeginArray();
    o.EndArray();
    o.Key("excludeManagementEventSources");
    o.BeginArray();
    o.EndArray();
    o.EndObject();
    o.EndArray();
    o.EndObject();
  }
  if (name != "LookupEvents" && name != "DescribeTrails") c.Resource("AWS::CloudTrail::Trail", trail);
}

// ---- CloudWatch Logs and CloudWatch ----------------------------------------------------

void Logs(EventContext& c) {
  const std::string_view name = c.action().name;
  Rng& r = c.rng();
  const Persona& p = c.persona();
  const std::string_view group = p.kind == PersonaKind::kLambda
                                     ? c.Cat({"/aws/lambda/", p.session_base})
                                     : std::string_view(c.Pick(c.res().log_groups));
  JsonWriter& w = c.Req();
  if (name == "DescribeLogGroups" && r.Chance(0.4)) return;
  w.BeginObject();
  if (name == "DescribeLogGroups") {
    Str(w, "logGroupNamePrefix", group.substr(0, group.find('/', 1) + 1));
    Int(w, "limit", 50);
  } else if (name == "StartQuery") {
    w.Key("logGroupNames");
    w.BeginArray();
    w.String(group);
    w.EndArray();
    Int(w, "startTime", c.time() / kMicrosPerSecond - r.Between(900, 86400 * 7));
    Int(w, "endTime", c.time() / kMicrosPerSecond);
    Str(w, "queryString", "fields @timestamp, @message, @logStream\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 100");
  } else if (name == "GetQueryResults") {
    Str(w, "queryId", c.Uuid());
  } else {
    Str(w, "logGroupName", group);
  }
  const std::string_view stream =
      c.Cat({c.IsoTime(c.time()).substr(0, 4), "/", c.IsoTime(c.time()).substr(5, 2), "/",
             c.IsoTime(c.time()).substr(8, 2), "/[$LATEST]", c.HexId("", 32)});
  if (name == "CreateLogStream" || name == "GetLogEvents") Str(w, "logStreamName", stream);
  if (name == "GetLogEvents") Bool(w, "startFromHead", false);
  if (name == "DescribeLogStreams") {
    Str(w, "orderBy", "LastEventTime");
    Bool(w, "descending", true);
    Int(w, "limit", 50);
  } else if (name == "FilterLogEvents") {
    Int(w, "startTime", c.time() / 1000 - r.Between(60'000, 86'400'000));
    Int(w, "endTime", c.time() / 1000);
    Str(w, "filterPattern", r.Chance(0.5) ? "ERROR" : "?Exception ?timeout");
    Bool(w, "interleaved", true);
  } else if (name == "PutRetentionPolicy") {
    Int(w, "retentionInDays", r.Chance(0.5) ? 30 : 365);
  } else if (name == "PutSubscriptionFilter") {
    Str(w, "filterName", "to-siem");
    Str(w, "filterPattern", "");
    Str(w, "destinationArn", c.Arn("firehose", "deliverystream/siem-ingest"));
  }
  w.EndObject();
  if (name == "StartQuery") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "queryId", c.Uuid());
    o.EndObject();
  }
}

void WriteDimension(EventContext& c, JsonWriter& w) {
  w.Key("dimensions");
  w.BeginArray();
  w.BeginObject();
  Str(w, "name", "InstanceId");
  Str(w, "value", c.Pick(c.res().instances));
  w.EndObject();
  w.EndArray();
}

void Monitoring(EventContext& c) {
  const std::string_view name = c.action().name;
  Rng& r = c.rng();
  static constexpr std::string_view kMetrics[] = {"CPUUtilization", "NetworkIn", "StatusCheckFailed", "DiskReadOps"};
  const std::string_view alarm = c.Cat({c.rng().Pick(AppNames()), "-", c.account().name, "-high-cpu"});
  JsonWriter& w = c.Req();
  if ((name == "DescribeAlarms" || name == "ListDashboards") && r.Chance(0.5)) return;
  w.BeginObject();
  if (name == "DescribeAlarms") {
    Int(w, "maxRecords", 100);
    w.Key("alarmTypes");
    w.BeginArray();
    w.String("CompositeAlarm");
    w.String("MetricAlarm");
    w.EndArray();
  } else if (name == "GetMetricData") {
    w.Key("metricDataQueries");
    w.BeginArray();
    for (int64_t i = 0, n = r.Between(1, 4); i < n; ++i) {
      w.BeginObject();
      Str(w, "id", c.Cat({"m", c.Num(i)}));
      w.Key("metricStat");
      w.BeginObject();
      w.Key("metric");
      w.BeginObject();
      Str(w, "namespace", "AWS/EC2");
      Str(w, "metricName", r.Pick(kMetrics));
      WriteDimension(c, w);
      w.EndObject();
      Int(w, "period", r.Chance(0.5) ? 60 : 300);
      Str(w, "stat", r.Chance(0.6) ? "Average" : "Maximum");
      w.EndObject();
      Bool(w, "returnData", true);
      w.EndObject();
    }
    w.EndArray();
    Str(w, "startTime", c.JavaTime(c.time() - 3 * 3600 * kMicrosPerSecond));
    Str(w, "endTime", c.JavaTime(c.time()));
  } else if (name == "PutMetricAlarm") {
    Str(w, "alarmName", alarm);
    Bool(w, "actionsEnabled", true);
    w.Key("alarmActions");
    w.BeginArray();
    w.String(c.Arn("sns", c.Pick(c.res().topics)));
    w.EndArray();
    Str(w, "metricName", "CPUUtilization");
    Str(w, "namespace", "AWS/EC2");
    Str(w, "statistic", "Average");
    WriteDimension(c, w);
    Int(w, "period", 300);
    Int(w, "evaluationPeriods", 3);
    Hundredths(w, "threshold", r.Chance(0.5) ? 8000 : 9250);
    Str(w, "comparisonOperator", "GreaterThanOrEqualToThreshold");
    Str(w, "treatMissingData", "missing");
  } else if (name == "ListMetrics") {
    Str(w, "namespace", "AWS/EC2");
    Str(w, "metricName", r.Pick(kMetrics));
  } else if (name == "GetMetricStatistics") {
    Str(w, "namespace", "AWS/EC2");
    Str(w, "metricName", r.Pick(kMetrics));
    WriteDimension(c, w);
    Str(w, "startTime", c.JavaTime(c.time() - 3600 * kMicrosPerSecond));
    Str(w, "endTime", c.JavaTime(c.time()));
    Int(w, "period", 300);
    w.Key("statistics");
    w.BeginArray();
    w.String("Average");
    w.String("Maximum");
    w.EndArray();
  } else if (name == "DeleteAlarms") {
    w.Key("alarmNames");
    w.BeginArray();
    w.String(alarm);
    w.EndArray();
  } else if (name == "ListDashboards") {
    Str(w, "dashboardNamePrefix", c.account().name);
  } else if (name == "GetDashboard") {
    Str(w, "dashboardName", c.Cat({c.account().name, "-overview"}));
  }
  w.EndObject();
}

// ---- Config, GuardDuty, Security Hub, Access Analyzer ------------------------------------

void Config(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view recorder = c.res().config_recorder;
  JsonWriter& w = c.Req();
  if (name.starts_with("Describe") && c.rng().Chance(0.5)) return;
  w.BeginObject();
  if (name == "StopConfigurationRecorder" || name == "StartConfigurationRecorder" ||
      name == "DeleteConfigurationRecorder") {
    Str(w, "configurationRecorderName", recorder);
  } else if (name == "DeleteDeliveryChannel") {
    Str(w, "deliveryChannelName", "default");
  } else if (name == "GetComplianceDetailsByConfigRule") {
    Str(w, "configRuleName", c.Cat({"s3-bucket-", c.rng().Chance(0.5) ? "ssl-requests-only" : "public-read-prohibited"}));
    w.Key("complianceTypes");
    w.BeginArray();
    w.String("NON_COMPLIANT");
    w.EndArray();
    Int(w, "limit", 100);
  } else if (name == "PutEvaluations") {
    w.Key("evaluations");
    w.BeginArray();
    for (int64_t i = 0, n = c.rng().Between(1, 5); i < n; ++i) {
      w.BeginObject();
      Str(w, "complianceResourceType", "AWS::EC2::Instance");
      Str(w, "complianceResourceId", c.Pick(c.res().instances));
      Str(w, "complianceType", c.rng().Chance(0.8) ? "COMPLIANT" : "NON_COMPLIANT");
      Str(w, "orderingTimestamp", c.JavaTime(c.time() - 60 * kMicrosPerSecond));
      w.EndObject();
    }
    w.EndArray();
    Str(w, "resultToken", "HIDDEN_DUE_TO_SECURITY_REASONS");
    Bool(w, "testMode", false);
  } else if (name == "SelectResourceConfig") {
    Str(w, "expression", "SELECT resourceId, resourceType, configuration.instanceType WHERE resourceType = 'AWS::EC2::Instance'");
    Int(w, "limit", 100);
  } else {
    Int(w, "limit", 25);
  }
  w.EndObject();
}

void GuardDuty(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view detector = c.res().detector_id;
  if (name == "ListDetectors") return;
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "detectorId", detector);
  if (name == "ListFindings") {
    w.Key("findingCriteria");
    w.BeginObject();
    w.Key("criterion");
    w.BeginObject();
    w.Key("service.archived");
    w.BeginObject();
    w.Key("eq");
    w.BeginArray();
    w.String("false");
    w.EndArray();
    w.EndObject();
    w.Key("severity");
    w.BeginObject();
    Int(w, "gte", 4);
    w.EndObject();
    w.EndObject();
    w.EndObject();
    w.Key("sortCriteria");
    w.BeginObject();
    Str(w, "attributeName", "updatedAt");
    Str(w, "orderBy", "DESC");
    w.EndObject();
    Int(w, "maxResults", 50);
  } else if (name == "GetFindings" || name == "ArchiveFindings") {
    w.Key("findingIds");
    w.BeginArray();
    for (int64_t i = 0, n = c.rng().Between(1, 6); i < n; ++i) w.String(c.HexId("", 32));
    w.EndArray();
  } else if (name == "UpdateDetector") {
    const bool disable = c.InScenario(static_cast<uint8_t>(ScenarioKind::kDetectionDisable));
    Bool(w, "enable", !disable);
    Str(w, "findingPublishingFrequency", disable ? "SIX_HOURS" : "FIFTEEN_MINUTES");
  } else if (name == "UpdateIPSet" || name == "CreateIPSet") {
    Str(w, "name", "trusted-ips");
    Str(w, "format", "TXT");
    Str(w, "location", c.Cat({"https://s3.amazonaws.com/", c.Pick(c.res().buckets), "/trusted.txt"}));
    Bool(w, "activate", true);
  }
  w.EndObject();
  c.Resource("AWS::GuardDuty::Detector", c.Arn("guardduty", c.Cat({"detector/", detector})));
}

void SecurityServices(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListAnalyzers" || name == "DescribeHub" || name == "GetEnabledStandards" ||
      name == "DisableSecurityHub" || name == "DescribeEventAggregates") {
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "GetFindings") {
    w.Key("filters");
    w.BeginObject();
    w.Key("RecordState");
    w.BeginArray();
    w.BeginObject();
    Str(w, "value", "ACTIVE");
    Str(w, "comparison", "EQUALS");
    w.EndObject();
    w.EndArray();
    w.Key("SeverityLabel");
    w.BeginArray();
    w.BeginObject();
    Str(w, "value", "CRITICAL");
    Str(w, "comparison", "EQUALS");
    w.EndObject();
    w.EndArray();
    w.EndObject();
    Int(w, "maxResults", 100);
  } else if (name == "BatchUpdateFindings") {
    w.Key("findingIdentifiers");
    w.BeginArray();
    w.BeginObject();
    Str(w, "id", c.Arn("securityhub", c.Cat({"subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/", c.Uuid()})));
    Str(w, "productArn", c.Cat({"arn:aws:securityhub:", c.region(), "::product/aws/securityhub"}));
    w.EndObject();
    w.EndArray();
    w.Key("workflow");
    w.BeginObject();
    Str(w, "status", "RESOLVED");
    w.EndObject();
  } else if (name == "ListFindings") {
    Str(w, "analyzerArn", c.Arn("access-analyzer", "analyzer/org-analyzer"));
    Int(w, "maxResults", 100);
  } else if (name == "DescribeEvents") {
    w.Key("filter");
    w.BeginObject();
    w.Key("eventStatusCodes");
    w.BeginArray();
    w.String("open");
    w.String("upcoming");
    w.EndArray();
    w.EndObject();
  } else if (name == "ValidatePolicy") {
    Str(w, "policyType", "IDENTITY_POLICY");
    Str(w, "policyDocument", PolicyDocument(c, PolicyKind::kLeastPrivilege, c.Pick(c.res().tables), false));
  }
  w.EndObject();
}

// ---- Route 53, CloudFormation, CloudFront, API Gateway --------------------------------

void Route53(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListHostedZones" || name == "ListHealthChecks") return;
  const std::string& zone = c.Pick(c.res().hosted_zones);
  const std::string_view zone_id = std::string_view(zone).substr(0, zone.find('|'));
  const std::string_view domain = std::string_view(zone).substr(zone.find('|') + 1);
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "GetChange") {
    Str(w, "id", c.Cat({"C", c.Random(kUpperAlnum, 20)}));
  } else {
    Str(w, name == "GetHostedZone" ? "id" : "hostedZoneId", zone_id);
  }
  if (name == "ChangeResourceRecordSets") {
    w.Key("changeBatch");
    w.BeginObject();
    w.Key("changes");
    w.BeginArray();
    w.BeginObject();
    Str(w, "action", c.rng().Chance(0.8) ? "UPSERT" : "DELETE");
    w.Key("resourceRecordSet");
    w.BeginObject();
    Str(w, "name", c.Cat({c.rng().Pick(AppNames()), ".", domain}));
    Str(w, "type", c.rng().Chance(0.6) ? "CNAME" : "A");
    Int(w, "tTL", 300);
    w.Key("resourceRecords");
    w.BeginArray();
    w.BeginObject();
    Str(w, "value", c.Cat({c.Pick(c.res().load_balancers).substr(4, 12), ".", c.region(), ".elb.amazonaws.com"}));
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  if (name == "ChangeResourceRecordSets") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    o.Key("changeInfo");
    o.BeginObject();
    Str(o, "id", c.Cat({"/change/C", c.Random(kUpperAlnum, 20)}));
    Str(o, "status", "PENDING");
    Str(o, "submittedAt", c.JavaTime(c.time()));
    o.EndObject();
    o.EndObject();
  }
  c.Resource("AWS::Route53::HostedZone", c.Cat({"arn:aws:route53:::hostedzone/", zone_id}), false);
}

void CloudFormation(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string& stack_item = c.Pick(c.res().stacks);
  const std::string_view stack = std::string_view(stack_item).substr(0, stack_item.find('/'));
  const std::string_view stack_id = c.Arn("cloudformation", c.Cat({"stack/", stack_item}));
  JsonWriter& w = c.Req();
  if (name == "ListStacks" || name == "ValidateTemplate") {
    w.BeginObject();
    if (name == "ListStacks") {
      w.Key("stackStatusFilter");
      w.BeginArray();
      for (std::string_view s : {"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"}) w.String(s);
      w.EndArray();
    } else {
      Str(w, "templateURL", c.Cat({"https://", c.Pick(c.res().buckets), ".s3.amazonaws.com/templates/", stack, ".yaml"}));
    }
    w.EndObject();
    return;
  }
  w.BeginObject();
  Str(w, "stackName", c.rng().Chance(0.5) ? stack : stack_id);
  const bool change = name == "CreateStack" || name == "UpdateStack" || name == "CreateChangeSet";
  if (change) {
    Str(w, "templateURL", c.Cat({"https://", c.Pick(c.res().buckets), ".s3.amazonaws.com/templates/", stack, ".yaml"}));
    w.Key("parameters");
    w.BeginArray();
    for (std::string_view key : {"Environment", "ImageTag", "DesiredCount"}) {
      w.BeginObject();
      Str(w, "parameterKey", key);
      Str(w, "parameterValue", key == "Environment" ? std::string_view(c.account().name) : key == "ImageTag" ? c.HexId("", 12) : c.Num(c.rng().Between(2, 10)));
      w.EndObject();
    }
    w.EndArray();
    w.Key("capabilities");
    w.BeginArray();
    w.String("CAPABILITY_IAM");
    w.String("CAPABILITY_NAMED_IAM");
    w.EndArray();
    if (name == "CreateChangeSet") {
      Str(w, "changeSetName", c.Cat({"deploy-", c.HexId("", 8)}));
      Str(w, "changeSetType", "UPDATE");
    }
    WriteTags(c, w, "tags", "key", "value");
  } else if (name == "GetTemplate") {
    Str(w, "templateStage", "Original");
  } else if (name == "ExecuteChangeSet" || name == "DescribeChangeSet") {
    Str(w, "changeSetName", c.Cat({"deploy-", c.HexId("", 8)}));
  }
  w.EndObject();
  if (change) {
    JsonWriter& o = c.Res();
    o.BeginObject();
    if (name == "CreateChangeSet") {
      Str(o, "id", c.Arn("cloudformation", c.Cat({"changeSet/deploy-", c.HexId("", 8), "/", c.Uuid()})));
    }
    Str(o, "stackId", stack_id);
    o.EndObject();
  }
}

void CloudFront(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListDistributions") return;
  const std::string_view id = c.Pick(c.res().distributions);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, name == "CreateInvalidation" ? "distributionId" : "id", id);
  if (name == "CreateInvalidation") {
    w.Key("invalidationBatch");
    w.BeginObject();
    w.Key("paths");
    w.BeginObject();
    Int(w, "quantity", 1);
    w.Key("items");
    w.BeginArray();
    w.String(c.rng().Chance(0.5) ? std::string_view("/*") : c.Cat({"/static/", c.rng().Pick(AppNames()), "/*"}));
    w.EndArray();
    w.EndObject();
    Str(w, "callerReference", c.Num(c.time() / 1000));
    w.EndObject();
  }
  w.EndObject();
  if (name == "CreateInvalidation") {
    const std::string_view inv = c.Cat({"I", c.Random(kUpperAlnum, 25)});
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "location", c.Cat({"https://cloudfront.amazonaws.com/2020-05-31/distribution/", id, "/invalidation/", inv}));
    o.Key("invalidation");
    o.BeginObject();
    Str(o, "id", inv);
    Str(o, "status", "InProgress");
    Str(o, "createTime", c.JavaTime(c.time()));
    o.EndObject();
    o.EndObject();
  }
}

void ApiGateway(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view api = c.Pick(c.res().rest_apis);
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "GetRestApis") {
    Int(w, "limit", 500);
  } else {
    Str(w, "restApiId", api);
  }
  if (name == "CreateDeployment") Str(w, "stageName", c.account().name);
  w.EndObject();
  if (name == "CreateDeployment") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "id", c.Random(kLowerAlnum, 6));
    Str(o, "createdDate", c.JavaTime(c.time()));
    o.EndObject();
  }
}

// ---- Athena, Bedrock, EventBridge, Step Functions -----------------------------------------

void Athena(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListWorkGroups") return;
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "StartQueryExecution") {
    static constexpr std::string_view kQueries[] = {
        "SELECT useridentity.arn, eventname, count(*) AS n FROM cloudtrail_logs WHERE eventtime > '2026-10-01' GROUP BY 1, 2 ORDER BY n DESC LIMIT 100",
        "SELECT * FROM orders_curated WHERE order_date = current_date - interval '1' day",
        "SELECT customer_id, sum(amount) FROM payments WHERE dt BETWEEN '2026-09-01' AND '2026-09-30' GROUP BY customer_id",
        "MSCK REPAIR TABLE raw_events"};
    Str(w, "queryString", c.rng().Pick(kQueries));
    w.Key("queryExecutionContext");
    w.BeginObject();
    Str(w, "database", "analytics");
    Str(w, "catalog", "AwsDataCatalog");
    w.EndObject();
    w.Key("resultConfiguration");
    w.BeginObject();
    Str(w, "outputLocation", c.Cat({"s3://", c.Pick(c.res().buckets), "/athena-results/"}));
    w.EndObject();
    Str(w, "workGroup", "primary");
    Str(w, "clientRequestToken", c.Uuid());
  } else if (name == "GetWorkGroup") {
    Str(w, "workGroup", "primary");
  } else {
    Str(w, "queryExecutionId", c.Uuid());
    if (name == "GetQueryResults") Int(w, "maxResults", 1000);
  }
  w.EndObject();
  if (name == "StartQueryExecution") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "queryExecutionId", c.Uuid());
    o.EndObject();
  }
}

void Bedrock(EventContext& c) {
  const std::string_view name = c.action().name;
  static constexpr std::string_view kModels[] = {
      "anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
      "us.anthropic.claude-3-7-sonnet-20250219-v1:0", "amazon.titan-embed-text-v2:0",
      "amazon.nova-pro-v1:0", "meta.llama3-1-70b-instruct-v1:0", "cohere.embed-english-v3"};
  const std::string_view model = c.rng().Pick(kModels);
  const std::string_view guardrail = c.Pick(c.res().guardrails);
  if (name == "ListFoundationModels" || name == "ListInferenceProfiles" ||
      name == "GetModelInvocationLoggingConfiguration" ||
      name == "DeleteModelInvocationLoggingConfiguration") {
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "GetFoundationModel") {
    Str(w, "modelIdentifier", model);
  } else if (name.ends_with("Guardrail")) {
    if (name == "CreateGuardrail") {
      Str(w, "name", c.Cat({c.rng().Pick(AppNames()), "-guardrail"}));
    } else {
      Str(w, "guardrailIdentifier", guardrail);
    }
    if (name != "DeleteGuardrail") {
      Str(w, "blockedInputMessaging", "HIDDEN_DUE_TO_SECURITY_REASONS");
      Str(w, "blockedOutputsMessaging", "HIDDEN_DUE_TO_SECURITY_REASONS");
      w.Key("contentPolicyConfig");
      w.BeginObject();
      w.Key("filtersConfig");
      w.BeginArray();
      for (std::string_view type : {"HATE", "VIOLENCE", "PROMPT_ATTACK"}) {
        w.BeginObject();
        Str(w, "type", type);
        Str(w, "inputStrength", "HIGH");
        Str(w, "outputStrength", type == "PROMPT_ATTACK" ? "NONE" : "HIGH");
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
  } else {
    Str(w, "modelId", model);
    if (name == "Converse" || name == "ConverseStream") {
      w.Key("inferenceConfig");
      w.BeginObject();
      Int(w, "maxTokens", c.rng().Chance(0.5) ? 1024 : 4096);
      Hundredths(w, "temperature", c.rng().Between(0, 100));
      w.EndObject();
    }
  }
  w.EndObject();
  if (name == "InvokeModel" || name == "Converse" || name == "InvokeModelWithResponseStream" ||
      name == "ConverseStream") {
    JsonWriter& a = c.Add();
    a.BeginObject();
    Str(a, "inferenceRegion", c.region());
    a.EndObject();
  }
  if (name == "CreateGuardrail" || name == "UpdateGuardrail") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "guardrailId", guardrail);
    Str(o, "guardrailArn", c.Arn("bedrock", c.Cat({"guardrail/", guardrail})));
    Str(o, "version", "DRAFT");
    Str(o, "createdAt", c.JavaTime(c.time()));
    o.EndObject();
  }
}

void EventsAndStates(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view machine = c.Pick(c.res().state_machines);
  const std::string_view machine_arn = c.Arn("states", c.Cat({"stateMachine:", machine}));
  const std::string_view rule = c.Cat({c.rng().Pick(AppNames()), "-schedule"});
  if (name == "ListRules" || name == "ListStateMachines") return;
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "StartExecution") {
    Str(w, "stateMachineArn", machine_arn);
    Str(w, "name", c.Uuid());
    Str(w, "input", "HIDDEN_DUE_TO_SECURITY_REASONS");
  } else if (name == "DescribeExecution") {
    Str(w, "executionArn", c.Arn("states", c.Cat({"execution:", machine, ":", c.Uuid()})));
  } else if (name == "SendTaskSuccess") {
    Str(w, "taskToken", c.Cat({"AQCEAAAAKgAAAAMAAAAA", c.Random(kBase64, 400)}));
    Str(w, "output", "HIDDEN_DUE_TO_SECURITY_REASONS");
  } else if (name == "PutRule") {
    Str(w, "name", rule);
    Str(w, "scheduleExpression", c.rng().Chance(0.5) ? "rate(5 minutes)" : "cron(0 2 * * ? *)");
    Str(w, "state", "ENABLED");
  } else if (name == "PutTargets") {
    Str(w, "rule", rule);
    w.Key("targets");
    w.BeginArray();
    w.BeginObject();
    Str(w, "id", "1");
    Str(w, "arn", c.Arn("lambda", c.Cat({"function:", c.Pick(c.res().functions)})));
    w.EndObject();
    w.EndArray();
  } else {
    Str(w, "name", rule);
  }
  w.EndObject();
  if (name == "StartExecution") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "executionArn", c.Arn("states", c.Cat({"execution:", machine, ":", c.Uuid()})));
    Str(o, "startDate", c.JavaTime(c.time()));
    o.EndObject();
    c.Resource("AWS::StepFunctions::StateMachine", machine_arn);
  } else if (name == "PutRule") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "ruleArn", c.Arn("events", c.Cat({"rule/", rule})));
    o.EndObject();
  } else if (name == "PutTargets") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Int(o, "failedEntryCount", 0);
    o.Key("failedEntries");
    o.BeginArray();
    o.EndArray();
    o.EndObject();
  }
}

// ---- Backup, Account, SES, EFS, ElastiCache, CloudShell --------------------------------

void Backup(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view vault = "Default";
  const std::string_view volume = c.Pick(c.res().volumes);
  if (name == "ListBackupJobs") return;
  if (name == "BackupJobCompleted") {
    c.SetInvokedBy("backup.amazonaws.com");
    c.SetIdentity(IdentityStyle::kServiceEvent);
    c.SetNoRequestId();
    JsonWriter& d = c.Details();
    d.BeginObject();
    Str(d, "backupJobId", c.Uuid());
    Str(d, "backupVaultName", vault);
    Str(d, "backupVaultArn", c.Arn("backup", c.Cat({"backup-vault:", vault})));
    Str(d, "recoveryPointArn", c.Arn("ec2", c.Cat({"snapshot/", c.HexId("snap-", 17)})));
    Str(d, "resourceArn", c.Arn("ec2", c.Cat({"volume/", volume})));
    Str(d, "creationDate", c.JavaTime(c.time() - 1800 * kMicrosPerSecond));
    Str(d, "completionDate", c.JavaTime(c.time()));
    Str(d, "state", "COMPLETED");
    Str(d, "percentDone", "100.0");
    Int(d, "backupSizeInBytes", c.rng().Between(1'000'000'000, 900'000'000'000));
    Str(d, "iamRoleArn", c.GlobalArn("iam", "role/service-role/AWSBackupDefaultServiceRole"));
    Str(d, "resourceType", "EBS");
    d.EndObject();
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "backupVaultName", vault);
  Str(w, "resourceArn", c.Arn("ec2", c.Cat({"volume/", volume})));
  Str(w, "iamRoleArn", c.GlobalArn("iam", "role/service-role/AWSBackupDefaultServiceRole"));
  Str(w, "idempotencyToken", c.Uuid());
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "backupJobId", c.Uuid());
  Str(o, "creationDate", c.JavaTime(c.time()));
  Bool(o, "isParent", false);
  o.EndObject();
}

void MiscServices(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "GetContactInformation" || name == "ListIdentities" || name == "CreateEnvironment" ||
      name == "DescribeFileSystems" || name == "DescribeReplicationGroups") {
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "EnableRegion") {
    Str(w, "RegionName", c.rng().Chance(0.5) ? "me-south-1" : "af-south-1");
  } else if (name == "ListRegions") {
    w.Key("RegionOptStatusContains");
    w.BeginArray();
    w.String("ENABLED");
    w.String("ENABLED_BY_DEFAULT");
    w.EndArray();
  } else if (name == "DeleteIdentity") {
    Str(w, "identity", c.Cat({c.account().name, ".example.com"}));
  } else if (name == "GetIdentityVerificationAttributes") {
    w.Key("identities");
    w.BeginArray();
    w.String(c.Cat({c.account().name, ".example.com"}));
    w.EndArray();
  } else if (name == "DescribeMountTargets" || name == "DeleteFileSystem" || name == "DeleteMountTarget") {
    Str(w, name == "DeleteMountTarget" ? "mountTargetId" : "fileSystemId",
        name == "DeleteMountTarget" ? c.HexId("fsmt-", 17) : std::string_view(c.Pick(c.res().file_systems)));
  } else if (name == "DescribeCacheClusters") {
    Bool(w, "showCacheNodeInfo", true);
  } else if (name == "CreateCacheSecurityGroup") {
    Str(w, "cacheSecurityGroupName", c.Cat({c.rng().Pick(AppNames()), "-cache-sg"}));
    Str(w, "description", "cache access");
  } else if (name == "ModifyCacheCluster") {
    Str(w, "cacheClusterId", c.Pick(c.res().cache_clusters));
    Bool(w, "applyImmediately", true);
  } else if (name == "CreateSession" || name == "GetEnvironmentStatus" || name == "PutCredentials") {
    Str(w, "EnvironmentId", c.Uuid());
  }
  w.EndObject();
}

const ActionSpec kOpsActions[] = {
    // CloudTrail
    {Service::kCloudTrail, "LookupEvents", Access::kRead, {.human = 8, .scanner = 4}, CloudTrail},
    {Service::kCloudTrail, "DescribeTrails", Access::kRead, {.human = 2, .ci = 2, .scanner = 10}, CloudTrail},
    {Service::kCloudTrail, "GetTrailStatus", Access::kRead, {.human = 1, .ci = 2, .scanner = 8}, CloudTrail},
    {Service::kCloudTrail, "GetEventSelectors", Access::kRead, {.human = 0.5, .ci = 2, .scanner = 8}, CloudTrail},
    {Service::kCloudTrail, "GetInsightSelectors", Access::kRead, {.ci = 1, .scanner = 3}, CloudTrail},
    {Service::kCloudTrail, "ListTrails", Access::kRead, {.human = 1, .scanner = 4}, CloudTrail},
    {Service::kCloudTrail, "StopLogging", Access::kWrite, {}, CloudTrail},
    {Service::kCloudTrail, "StartLogging", Access::kWrite, {.ci = 0.01}, CloudTrail},
    {Service::kCloudTrail, "DeleteTrail", Access::kWrite, {}, CloudTrail},
    {Service::kCloudTrail, "UpdateTrail", Access::kWrite, {.ci = 0.02}, CloudTrail},
    {Service::kCloudTrail, "PutEventSelectors", Access::kWrite, {.ci = 0.02}, CloudTrail},
    {Service::kCloudTrail, "CreateTrail", Access::kWrite, {.ci = 0.005}, CloudTrail},
    // CloudWatch Logs
    {Service::kLogs, "CreateLogStream", Access::kWrite, {.workload = 12}, Logs, Errors::kDefault, KindBit(PersonaKind::kLambda) | KindBit(PersonaKind::kEcsTask)},
    {Service::kLogs, "DescribeLogGroups", Access::kRead, {.human = 10, .ci = 4, .scanner = 6}, Logs},
    {Service::kLogs, "DescribeLogStreams", Access::kRead, {.human = 8, .scanner = 1}, Logs},
    {Service::kLogs, "FilterLogEvents", Access::kRead, {.human = 8, .automation = 2}, Logs},
    {Service::kLogs, "GetLogEvents", Access::kRead, {.human = 8, .automation = 1}, Logs},
    {Service::kLogs, "StartQuery", Access::kRead, {.human = 3}, Logs},
    {Service::kLogs, "GetQueryResults", Access::kRead, {.human = 6}, Logs},
    {Service::kLogs, "DescribeMetricFilters", Access::kRead, {.ci = 1, .scanner = 6}, Logs},
    {Service::kLogs, "ListTagsLogGroup", Access::kRead, {.ci = 4, .scanner = 1}, Logs},
    {Service::kLogs, "CreateLogGroup", Access::kWrite, {.ci = 0.3}, Logs},
    {Service::kLogs, "PutRetentionPolicy", Access::kWrite, {.human = 0.1, .ci = 0.4}, Logs},
    {Service::kLogs, "PutSubscriptionFilter", Access::kWrite, {.ci = 0.1}, Logs},
    {Service::kLogs, "DeleteLogGroup", Access::kWrite, {.human = 0.02, .ci = 0.05}, Logs},
    // CloudWatch
    {Service::kMonitoring, "DescribeAlarms", Access::kRead, {.human = 8, .automation = 2, .ci = 4, .scanner = 12}, Monitoring},
    {Service::kMonitoring, "GetMetricData", Access::kRead, {.human = 15, .automation = 6, .workload = 2, .scanner = 60}, Monitoring},
    {Service::kMonitoring, "ListMetrics", Access::kRead, {.human = 2, .scanner = 20}, Monitoring},
    {Service::kMonitoring, "GetMetricStatistics", Access::kRead, {.human = 2, .automation = 4, .scanner = 15}, Monitoring},
    {Service::kMonitoring, "PutMetricAlarm", Access::kWrite, {.human = 0.3, .ci = 1}, Monitoring},
    {Service::kMonitoring, "DeleteAlarms", Access::kWrite, {.human = 0.05, .ci = 0.1}, Monitoring},
    {Service::kMonitoring, "ListDashboards", Access::kRead, {.human = 2}, Monitoring},
    {Service::kMonitoring, "GetDashboard", Access::kRead, {.human = 3}, Monitoring},
    // AWS Config
    {Service::kConfig, "DescribeConfigRules", Access::kRead, {.human = 1, .scanner = 6}, Config},
    {Service::kConfig, "DescribeComplianceByConfigRule", Access::kRead, {.human = 0.5, .scanner = 4}, Config},
    {Service::kConfig, "GetComplianceDetailsByConfigRule", Access::kRead, {.human = 0.5, .scanner = 3}, Config},
    {Service::kConfig, "DescribeConfigurationRecorders", Access::kRead, {.ci = 1, .scanner = 5}, Config},
    {Service::kConfig, "DescribeConfigurationRecorderStatus", Access::kRead, {.scanner = 5}, Config},
    {Service::kConfig, "DescribeDeliveryChannels", Access::kRead, {.scanner = 3}, Config},
    {Service::kConfig, "PutEvaluations", Access::kWrite, {.workload = 2}, Config, Errors::kDefault, KindBit(PersonaKind::kLambda)},
    {Service::kConfig, "SelectResourceConfig", Access::kRead, {.human = 0.3, .scanner = 2}, Config},
    {Service::kConfig, "StopConfigurationRecorder", Access::kWrite, {}, Config},
    {Service::kConfig, "DeleteDeliveryChannel", Access::kWrite, {}, Config},
    {Service::kConfig, "DeleteConfigurationRecorder", Access::kWrite, {}, Config},
    {Service::kConfig, "StartConfigurationRecorder", Access::kWrite, {.ci = 0.01}, Config},
    // GuardDuty
    {Service::kGuardDuty, "ListDetectors", Access::kRead, {.human = 1, .ci = 1, .scanner = 8}, GuardDuty},
    {Service::kGuardDuty, "GetDetector", Access::kRead, {.human = 1, .ci = 1, .scanner = 6}, GuardDuty},
    {Service::kGuardDuty, "ListFindings", Access::kRead, {.human = 2, .scanner = 8}, GuardDuty},
    {Service::kGuardDuty, "GetFindings", Access::kRead, {.human = 2, .scanner = 8}, GuardDuty},
    {Service::kGuardDuty, "ArchiveFindings", Access::kWrite, {.human = 0.2}, GuardDuty},
    {Service::kGuardDuty, "UpdateDetector", Access::kWrite, {.ci = 0.02}, GuardDuty},
    {Service::kGuardDuty, "DeleteDetector", Access::kWrite, {}, GuardDuty},
    {Service::kGuardDuty, "DisassociateFromMasterAccount", Access::kWrite, {}, GuardDuty},
    {Service::kGuardDuty, "UpdateIPSet", Access::kWrite, {.human = 0.005}, GuardDuty},
    // Security Hub, Access Analyzer, Health
    {Service::kSecurityHub, "GetFindings", Access::kRead, {.human = 1, .scanner = 6}, SecurityServices},
    {Service::kSecurityHub, "DescribeHub", Access::kRead, {.scanner = 3}, SecurityServices},
    {Service::kSecurityHub, "GetEnabledStandards", Access::kRead, {.scanner = 3}, SecurityServices},
    {Service::kSecurityHub, "BatchUpdateFindings", Access::kWrite, {.human = 0.2, .automation = 0.5}, SecurityServices},
    {Service::kSecurityHub, "DisableSecurityHub", Access::kWrite, {}, SecurityServices},
    {Service::kAccessAnalyzer, "ListAnalyzers", Access::kRead, {.scanner = 3}, SecurityServices},
    {Service::kAccessAnalyzer, "ListFindings", Access::kRead, {.human = 0.3, .scanner = 3}, SecurityServices},
    {Service::kAccessAnalyzer, "ValidatePolicy", Access::kRead, {.human = 0.2, .ci = 1}, SecurityServices},
    {Service::kHealth, "DescribeEvents", Access::kRead, {.human = 1, .scanner = 4}, SecurityServices},
    {Service::kHealth, "DescribeEventAggregates", Access::kRead, {.human = 0.5, .scanner = 2}, SecurityServices},
    // Route 53, CloudFormation, CloudFront, API Gateway
    {Service::kRoute53, "ListHostedZones", Access::kRead, {.human = 2, .ci = 2, .scanner = 6}, Route53},
    {Service::kRoute53, "GetHostedZone", Access::kRead, {.human = 1, .ci = 4, .scanner = 2}, Route53},
    {Service::kRoute53, "ListResourceRecordSets", Access::kRead, {.human = 2, .ci = 4, .scanner = 4}, Route53},
    {Service::kRoute53, "ChangeResourceRecordSets", Access::kWrite, {.human = 0.3, .ci = 1, .service = 0.5}, Route53},
    {Service::kRoute53, "GetChange", Access::kRead, {.ci = 2}, Route53},
    {Service::kRoute53, "ListHealthChecks", Access::kRead, {.scanner = 2}, Route53},
    {Service::kCloudFormation, "DescribeStacks", Access::kRead, {.human = 10, .ci = 20, .scanner = 4}, CloudFormation},
    {Service::kCloudFormation, "ListStacks", Access::kRead, {.human = 4, .ci = 2, .scanner = 4}, CloudFormation},
    {Service::kCloudFormation, "DescribeStackEvents", Access::kRead, {.human = 6, .ci = 15}, CloudFormation},
    {Service::kCloudFormation, "DescribeStackResources", Access::kRead, {.human = 2, .ci = 4, .scanner = 2}, CloudFormation},
    {Service::kCloudFormation, "GetTemplate", Access::kRead, {.human = 1, .ci = 2, .scanner = 2}, CloudFormation},
    {Service::kCloudFormation, "ValidateTemplate", Access::kRead, {.ci = 2}, CloudFormation},
    {Service::kCloudFormation, "CreateStack", Access::kWrite, {.human = 0.2, .ci = 0.3}, CloudFormation},
    {Service::kCloudFormation, "UpdateStack", Access::kWrite, {.human = 0.3, .ci = 0.8}, CloudFormation},
    {Service::kCloudFormation, "DeleteStack", Access::kWrite, {.human = 0.1, .ci = 0.1}, CloudFormation},
    {Service::kCloudFormation, "CreateChangeSet", Access::kWrite, {.ci = 1.5}, CloudFormation},
    {Service::kCloudFormation, "DescribeChangeSet", Access::kRead, {.ci = 4}, CloudFormation},
    {Service::kCloudFormation, "ExecuteChangeSet", Access::kWrite, {.ci = 1.2}, CloudFormation},
    {Service::kCloudFront, "ListDistributions", Access::kRead, {.human = 1, .ci = 1, .scanner = 4}, CloudFront},
    {Service::kCloudFront, "GetDistribution", Access::kRead, {.human = 1, .ci = 3, .scanner = 2}, CloudFront},
    {Service::kCloudFront, "CreateInvalidation", Access::kWrite, {.human = 0.2, .ci = 1}, CloudFront},
    {Service::kApiGateway, "GetRestApis", Access::kRead, {.human = 1, .ci = 1, .scanner = 3}, ApiGateway},
    {Service::kApiGateway, "GetStages", Access::kRead, {.human = 0.5, .ci = 3, .scanner = 2}, ApiGateway},
    {Service::kApiGateway, "GetResources", Access::kRead, {.ci = 3, .scanner = 1}, ApiGateway},
    {Service::kApiGateway, "CreateDeployment", Access::kWrite, {.ci = 0.5}, ApiGateway},
    // Athena, Bedrock, EventBridge, Step Functions
    {Service::kAthena, "StartQueryExecution", Access::kWrite, {.human = 2, .automation = 3, .workload = 2}, Athena},
    {Service::kAthena, "GetQueryExecution", Access::kRead, {.human = 4, .automation = 8, .workload = 6}, Athena},
    {Service::kAthena, "GetQueryResults", Access::kRead, {.human = 3, .automation = 3, .workload = 2}, Athena},
    {Service::kAthena, "ListWorkGroups", Access::kRead, {.human = 1, .scanner = 2}, Athena},
    {Service::kAthena, "GetWorkGroup", Access::kRead, {.human = 1, .ci = 1, .scanner = 1}, Athena},
    {Service::kBedrock, "InvokeModel", Access::kRead, {.human = 2, .automation = 2, .workload = 15}, Bedrock},
    {Service::kBedrock, "Converse", Access::kRead, {.human = 2, .workload = 8}, Bedrock},
    {Service::kBedrock, "InvokeModelWithResponseStream", Access::kRead, {.human = 0.5, .workload = 4}, Bedrock},
    {Service::kBedrock, "ListFoundationModels", Access::kRead, {.human = 1, .scanner = 1}, Bedrock},
    {Service::kBedrock, "GetFoundationModel", Access::kRead, {.human = 0.5}, Bedrock},
    {Service::kBedrock, "ListInferenceProfiles", Access::kRead, {.human = 0.3, .workload = 0.5}, Bedrock},
    {Service::kBedrock, "GetModelInvocationLoggingConfiguration", Access::kRead, {.scanner = 2}, Bedrock},
    {Service::kBedrock, "CreateGuardrail", Access::kWrite, {.human = 0.02, .ci = 0.05}, Bedrock},
    {Service::kBedrock, "UpdateGuardrail", Access::kWrite, {.human = 0.02, .ci = 0.1}, Bedrock},
    {Service::kBedrock, "DeleteGuardrail", Access::kWrite, {.human = 0.005}, Bedrock},
    {Service::kBedrock, "DeleteModelInvocationLoggingConfiguration", Access::kWrite, {}, Bedrock},
    {Service::kEvents, "PutRule", Access::kWrite, {.ci = 0.5}, EventsAndStates},
    {Service::kEvents, "PutTargets", Access::kWrite, {.ci = 0.5}, EventsAndStates},
    {Service::kEvents, "DescribeRule", Access::kRead, {.human = 0.5, .ci = 3, .scanner = 2}, EventsAndStates},
    {Service::kEvents, "ListRules", Access::kRead, {.human = 1, .scanner = 3}, EventsAndStates},
    {Service::kEvents, "DisableRule", Access::kWrite, {.human = 0.05}, EventsAndStates},
    {Service::kStates, "StartExecution", Access::kWrite, {.human = 0.5, .automation = 2, .workload = 6, .service = 4}, EventsAndStates},
    {Service::kStates, "DescribeExecution", Access::kRead, {.human = 1, .automation = 2, .workload = 4}, EventsAndStates},
    {Service::kStates, "SendTaskSuccess", Access::kWrite, {.workload = 3}, EventsAndStates},
    {Service::kStates, "ListStateMachines", Access::kRead, {.human = 0.5, .scanner = 2}, EventsAndStates},
    // Backup, Account, SES, EFS, ElastiCache, CloudShell
    {Service::kBackup, "ListBackupJobs", Access::kRead, {.human = 0.5, .scanner = 2}, Backup},
    {Service::kBackup, "StartBackupJob", Access::kWrite, {.automation = 0.5, .service = 2}, Backup},
    {Service::kBackup, "BackupJobCompleted", Access::kServiceEvent, {.service = 2}, Backup, Errors::kNone},
    {Service::kAccount, "GetContactInformation", Access::kRead, {.human = 0.2, .scanner = 1, .root = 4}, MiscServices},
    {Service::kAccount, "ListRegions", Access::kRead, {.human = 0.3, .scanner = 1, .root = 2}, MiscServices},
    {Service::kAccount, "EnableRegion", Access::kWrite, {.root = 0.2}, MiscServices},
    {Service::kSes, "ListIdentities", Access::kRead, {.human = 0.3, .scanner = 2}, MiscServices},
    {Service::kSes, "GetIdentityVerificationAttributes", Access::kRead, {.human = 0.2, .ci = 1}, MiscServices},
    {Service::kSes, "DeleteIdentity", Access::kWrite, {.human = 0.002}, MiscServices},
    {Service::kEfs, "DescribeFileSystems", Access::kRead, {.human = 0.5, .ci = 1, .scanner = 3}, MiscServices},
    {Service::kEfs, "DescribeMountTargets", Access::kRead, {.human = 0.3, .ci = 1, .scanner = 2}, MiscServices},
    {Service::kEfs, "DeleteMountTarget", Access::kWrite, {.human = 0.005}, MiscServices},
    {Service::kEfs, "DeleteFileSystem", Access::kWrite, {.human = 0.002}, MiscServices},
    {Service::kElastiCache, "DescribeCacheClusters", Access::kRead, {.human = 0.5, .ci = 2, .scanner = 3}, MiscServices},
    {Service::kElastiCache, "DescribeReplicationGroups", Access::kRead, {.human = 0.3, .ci = 2, .scanner = 2}, MiscServices},
    {Service::kElastiCache, "ModifyCacheCluster", Access::kWrite, {.human = 0.02, .ci = 0.1}, MiscServices},
    {Service::kElastiCache, "CreateCacheSecurityGroup", Access::kWrite, {.human = 0.002}, MiscServices},
    {Service::kCloudShell, "CreateEnvironment", Access::kWrite, {.human = 0.1}, MiscServices},
    {Service::kCloudShell, "CreateSession", Access::kWrite, {.human = 0.4}, MiscServices},
    {Service::kCloudShell, "GetEnvironmentStatus", Access::kRead, {.human = 0.4}, MiscServices},
    {Service::kCloudShell, "PutCredentials", Access::kWrite, {.human = 0.4}, MiscServices},
};

}  // namespace

std::span<const ActionSpec> OpsActions() { return kOpsActions; }

}  // namespace trailbook::gen::internal
