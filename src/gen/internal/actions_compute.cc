// Actions of the compute services: EC2, Auto Scaling, Elastic Load Balancing, Lambda, ECS,
// EKS and ECR.
#include "gen/internal/actions.h"
#include "gen/internal/aws_shapes.h"
#include "gen/internal/event_context.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {
namespace {

using json::JsonWriter;

// ---- EC2 ----------------------------------------------------------------------------

// Marks calls an AWS service makes for the account (Auto Scaling launching and tagging
// instances, Backup snapshotting volumes).
void ServiceCaller(EventContext& c, std::string_view host) {
  if (c.persona().kind == PersonaKind::kAwsService) c.SetInvokedBy(host);
}


// Writes `key: {"items":[{"name":..,"valueSet":{"items":[{"value":..}]}}]}` or `{}`.
void FilterSet(EventContext& c, JsonWriter& w, std::string_view name, std::string_view value) {
  if (name.empty()) {
    EmptyObject(w, "filterSet");
    return;
  }
  BeginItems(w, "filterSet");
  w.BeginObject();
  Str(w, "name", name);
  BeginItems(w, "valueSet");
  w.BeginObject();
  Str(w, "value", value);
  w.EndObject();
  EndItems(w);
  w.EndObject();
  EndItems(w);
  (void)c;
}

void IdItems(JsonWriter& w, std::string_view set, std::string_view field, std::string_view id) {
  BeginItems(w, set);
  w.BeginObject();
  Str(w, field, id);
  w.EndObject();
  EndItems(w);
}

void DescribeInstances(EventContext& c) {
  Rng& r = c.rng();
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (r.Chance(0.4)) {
    IdItems(w, "instancesSet", "instanceId", c.Pick(c.res().instances));
  } else {
    EmptyObject(w, "instancesSet");
  }
  const uint64_t f = r.Below(4);
  FilterSet(c, w, f == 0 ? "instance-state-name" : f == 1 ? "tag:Name" : "",
            f == 0 ? std::string_view("running") : c.Cat({r.Pick(AppNames()), "-*"}));
  if (c.caller().console) Int(w, "maxResults", 1000);
  w.EndObject();
}

void DescribeWithSets(EventContext& c) {
  const std::string_view name = c.action().name;
  Rng& r = c.rng();
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "DescribeVolumes") {
    EmptyObject(w, "volumeSet");
    FilterSet(c, w, r.Chance(0.3) ? "attachment.instance-id" : "", c.Pick(c.res().instances));
  } else if (name == "DescribeSecurityGroups") {
    EmptyObject(w, "securityGroupSet");
    if (r.Chance(0.5)) {
      IdItems(w, "securityGroupIdSet", "groupId", c.Pick(c.res().security_groups));
    } else {
      EmptyObject(w, "securityGroupIdSet");
    }
    FilterSet(c, w, r.Chance(0.3) ? "vpc-id" : "", c.Pick(c.res().vpcs));
  } else if (name == "DescribeSubnets") {
    EmptyObject(w, "subnetSet");
    FilterSet(c, w, "vpc-id", c.Pick(c.res().vpcs));
  } else if (name == "DescribeVpcs") {
    EmptyObject(w, "vpcSet");
    FilterSet(c, w, "", "");
  } else if (name == "DescribeImages") {
    EmptyObject(w, "executableBySet");
    EmptyObject(w, "imagesSet");
    IdItems(w, "ownersSet", "owner", r.Chance(0.5) ? "self" : "amazon");
    FilterSet(c, w, "name", r.Chance(0.5) ? "al2023-ami-2023.*-x86_64" : "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*");
    Bool(w, "includeDeprecated", false);
  } else if (name == "DescribeSnapshots") {
    EmptyObject(w, "snapshotSet");
    IdItems(w, "ownersSet", "owner", "self");
    EmptyObject(w, "restorableBySet");
    FilterSet(c, w, "", "");
    Int(w, "maxResults", 1000);
  } else if (name == "DescribeNetworkInterfaces") {
    EmptyObject(w, "networkInterfaceIdSet");
    FilterSet(c, w, "subnet-id", c.Pick(c.res().subnets));
  } else if (name == "DescribeAddresses") {
    FilterSet(c, w, "", "");
    EmptyObject(w, "publicIpsSet");
    EmptyObject(w, "allocationIdsSet");
  } else if (name == "DescribeRegions") {
    EmptyObject(w, "regionSet");
    Bool(w, "allRegions", r.Chance(0.3));
  } else if (name == "DescribeAvailabilityZones") {
    EmptyObject(w, "availabilityZoneSet");
    EmptyObject(w, "availabilityZoneIdSet");
    Bool(w, "allAvailabilityZones", false);
  } else if (name == "DescribeTags") {
    FilterSet(c, w, "resource-id", c.Pick(c.res().instances));
  } else if (name == "DescribeKeyPairs") {
    EmptyObject(w, "keySet");
    FilterSet(c, w, "", "");
  } else if (name == "DescribeLaunchTemplates") {
    EmptyObject(w, "launchTemplateIdSet");
    EmptyObject(w, "launchTemplateNameSet");
    Int(w, "maxResults", 200);
  } else if (name == "DescribeAccountAttributes") {
    BeginItems(w, "accountAttributeNameSet");
    w.BeginObject();
    Str(w, "attributeName", "supported-platforms");
    w.EndObject();
    w.BeginObject();
    Str(w, "attributeName", "default-vpc");
    w.EndObject();
    EndItems(w);
    FilterSet(c, w, "", "");
  } else if (name == "DescribeInstanceStatus") {
    EmptyObject(w, "instancesSet");
    FilterSet(c, w, "", "");
    Bool(w, "includeAllInstances", r.Chance(0.5));
  } else if (name == "DescribeRouteTables") {
    EmptyObject(w, "routeTableIdSet");
    FilterSet(c, w, "vpc-id", c.Pick(c.res().vpcs));
  } else if (name == "DescribeFlowLogs") {
    EmptyObject(w, "flowLogIds");
  } else if (name == "DescribeInstanceAttribute") {
    Str(w, "instanceId", c.Pick(c.res().instances));
    Str(w, "attribute", r.Chance(0.5) ? "userData" : "disableApiTermination");
  }
  w.EndObject();
}

void DescribeInstanceTypes(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  w.Key("DescribeInstanceTypesRequest");
  w.BeginObject();
  if (c.rng().Chance(0.5)) Str(w, "NextToken", c.Cat({"AAIAA", c.Random(kAlnum, 150)}));
  Int(w, "MaxResults", 100);
  w.EndObject();
  w.EndObject();
}

void InstanceStateChange(EventContext& c) {
  ServiceCaller(c, "autoscaling.amazonaws.com");
  const std::string_view name = c.action().name;
  const std::string_view instance = c.Pick(c.res().instances);
  JsonWriter& w = c.Req();
  w.BeginObject();
  IdItems(w, "instancesSet", "instanceId", instance);
  if (name == "StopInstances") Bool(w, "force", false);
  w.EndObject();
  struct State {
    int code;
    std::string_view name;
  };
  State now{0, "pending"}, before{80, "stopped"};
  if (name == "StopInstances") now = {64, "stopping"}, before = {16, "running"};
  if (name == "TerminateInstances") now = {32, "shutting-down"}, before = {16, "running"};
  JsonWriter& r = c.Res();
  r.BeginObject();
  Str(r, "requestId", c.Uuid());
  BeginItems(r, "instancesSet");
  r.BeginObject();
  Str(r, "instanceId", instance);
  r.Key("currentState");
  r.BeginObject();
  Int(r, "code", now.code);
  Str(r, "name", now.name);
  r.EndObject();
  r.Key("previousState");
  r.BeginObject();
  Int(r, "code", before.code);
  Str(r, "name", before.name);
  r.EndObject();
  r.EndObject();
  EndItems(r);
  r.EndObject();
}

void Ec2Return(EventContext& c) {
  JsonWriter& r = c.Res();
  r.BeginObject();
  Str(r, "requestId", c.Uuid());
  Bool(r, "_return", true);
  r.EndObject();
}

void CreateTags(EventContext& c) {
  ServiceCaller(c, "autoscaling.amazonaws.com");
  JsonWriter& w = c.Req();
  w.BeginObject();
  IdItems(w, "resourcesSet", "resourceId", c.Pick(c.res().instances));
  BeginItems(w, "tagSet");
  w.BeginObject();
  Str(w, "key", "Name");
  Str(w, "value", c.Cat({c.rng().Pick(AppNames()), "-", c.account().name, "-", c.Num(c.rng().Between(1, 12))}));
  w.EndObject();
  EndItems(w);
  w.EndObject();
  Ec2Return(c);
}

void RunInstances(EventContext& c) {
  ServiceCaller(c, "autoscaling.amazonaws.com");
  Rng& r = c.rng();
  const std::string_view ami = c.Pick(c.res().amis);
  const std::string_view subnet = c.Pick(c.res().subnets);
  const std::string_view sg = c.Pick(c.res().security_groups);
  const std::string_view vpc = c.Pick(c.res().vpcs);
  const std::string_view key = c.Pick(c.res().key_pairs);
  static constexpr std::string_view kTypes[] = {"t3.micro", "t3.medium", "m6i.large", "c7g.xlarge",
                                                "m7i.2xlarge", "r6i.large", "t4g.small"};
  const std::string_view type = r.Pick(kTypes);
  const int64_t count = c.InScenario(static_cast<uint8_t>(ScenarioKind::kRegionRecon)) ? 10 : r.Between(1, 3);
  JsonWriter& w = c.Req();
  w.BeginObject();
  BeginItems(w, "instancesSet");
  w.BeginObject();
  Str(w, "imageId", ami);
  Int(w, "minCount", count);
  Int(w, "maxCount", count);
  Str(w, "keyName", key);
  w.EndObject();
  EndItems(w);
  Str(w, "instanceType", type);
  BeginItems(w, "blockDeviceMapping");
  w.BeginObject();
  Str(w, "deviceName", "/dev/xvda");
  w.Key("ebs");
  w.BeginObject();
  Int(w, "volumeSize", r.Chance(0.5) ? 8 : 100);
  Bool(w, "deleteOnTermination", true);
  Str(w, "volumeType", "gp3");
  Bool(w, "encrypted", r.Chance(0.8));
  w.EndObject();
  w.EndObject();
  EndItems(w);
  Str(w, "tenancy", "default");
  w.Key("monitoring");
  w.BeginObject();
  Bool(w, "enabled", false);
  w.EndObject();
  Bool(w, "disableApiTermination", false);
  Str(w, "instanceInitiatedShutdownBehavior", "stop");
  BeginItems(w, "networkInterfaceSet");
  w.BeginObject();
  Int(w, "deviceIndex", 0);
  Str(w, "subnetId", subnet);
  Bool(w, "deleteOnTermination", true);
  IdItems(w, "groupSet", "groupId", sg);
  Int(w, "ipv6AddressCount", 0);
  w.EndObject();
  EndItems(w);
  Str(w, "userData", "<sensitiveDataRemoved>");
  w.Key("metadataOptions");
  w.BeginObject();
  Str(w, "httpTokens", r.Chance(0.7) ? "required" : "optional");
  Int(w, "httpPutResponseHopLimit", 2);
  Str(w, "httpEndpoint", "enabled");
  w.EndObject();
  w.EndObject();

  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "requestId", c.Uuid());
  Str(o, "reservationId", c.HexId("r-", 17));
  Str(o, "ownerId", c.account_id());
  EmptyObject(o, "groupSet");
  BeginItems(o, "instancesSet");
  const int64_t launch_ms = c.time() / 1000;
  const std::string_view zone = c.Zone();
  for (int64_t i = 0; i < count; ++i) {
    const std::string_view instance = c.HexId("i-", 17);
    const std::string_view ip = c.PrivateIp();
    o.BeginObject();
    Str(o, "instanceId", instance);
    Str(o, "imageId", ami);
    o.Key("instanceState");
    o.BeginObject();
    Int(o, "code", 0);
    Str(o, "name", "pending");
    o.EndObject();
    Str(o, "privateDnsName", c.Cat({"ip-", ip, ".ec2.internal"}));
    Str(o, "keyName", key);
    Int(o, "amiLaunchIndex", i);
    EmptyObject(o, "productCodes");
    Str(o, "instanceType", type);
    Int(o, "launchTime", launch_ms);
    o.Key("placement");
    o.BeginObject();
    Str(o, "availabilityZone", zone);
    Str(o, "tenancy", "default");
    o.EndObject();
    o.Key("monitoring");
    o.BeginObject();
    Str(o, "state", "disabled");
    o.EndObject();
    Str(o, "subnetId", subnet);
    Str(o, "vpcId", vpc);
    Str(o, "privateIpAddress", ip);
    o.Key("stateReason");
    o.BeginObject();
    Str(o, "code", "pending");
    Str(o, "message", "pending");
    o.EndObject();
    Str(o, "architecture", type.find('g') != std::string_view::npos ? "arm64" : "x86_64");
    Str(o, "rootDeviceType", "ebs");
    Str(o, "rootDeviceName", "/dev/xvda");
    EmptyObject(o, "blockDeviceMapping");
    Str(o, "virtualizationType", "hvm");
    Str(o, "hypervisor", "xen");
    BeginItems(o, "groupSet");
    o.BeginObject();
    Str(o, "groupId", sg);
    Str(o, "groupName", c.Cat({c.rng().Pick(AppNames()), "-sg"}));
    o.EndObject();
    EndItems(o);
    Bool(o, "sourceDestCheck", true);
    BeginItems(o, "networkInterfaceSet");
    o.BeginObject();
    Str(o, "networkInterfaceId", c.HexId("eni-", 17));
    Str(o, "subnetId", subnet);
    Str(o, "vpcId", vpc);
    Str(o, "ownerId", c.account_id());
    Str(o, "status", "in-use");
    Str(o, "macAddress", c.Cat({"0e:", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2)}));
    Str(o, "privateIpAddress", ip);
    Bool(o, "sourceDestCheck", true);
    Str(o, "interfaceType", "interface");
    o.Key("attachment");
    o.BeginObject();
    Str(o, "attachmentId", c.HexId("eni-attach-", 17));
    Int(o, "deviceIndex", 0);
    Int(o, "networkCardIndex", 0);
    Str(o, "status", "attaching");
    Int(o, "attachTime", launch_ms);
    Bool(o, "deleteOnTermination", true);
    o.EndObject();
    o.Key("privateIpAddressesSet");
    o.BeginObject();
    o.Key("item");
    o.BeginArray();
    o.BeginObject();
    Str(o, "privateIpAddress", ip);
    Bool(o, "primary", true);
    o.EndObject();
    o.EndArray();
    o.EndObject();
    EmptyObject(o, "ipv6AddressesSet");
    EmptyObject(o, "tagSet");
    o.EndObject();
    EndItems(o);
    Bool(o, "ebsOptimized", false);
    Bool(o, "enaSupport", true);
    o.Key("cpuOptions");
    o.BeginObject();
    Int(o, "coreCount", 1);
    Int(o, "threadsPerCore", 2);
    o.EndObject();
    o.Key("metadataOptions");
    o.BeginObject();
    Str(o, "state", "pending");
    Str(o, "httpTokens", "required");
    Int(o, "httpPutResponseHopLimit", 2);
    Str(o, "httpEndpoint", "enabled");
    o.EndObject();
    o.EndObject();
  }
  EndItems(o);
  Str(o, "requesterId", c.account_id());
  o.EndObject();
}

// AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress. In the open-security-group
// scenario the CIDR is 0.0.0.0/0 (and ::/0 for variant 1) on SSH, RDP or all ports.
void SecurityGroupIngress(EventContext& c) {
  Rng& r = c.rng();
  const bool scenario = c.InScenario(static_cast<uint8_t>(ScenarioKind::kOpenSecurityGroup));
  const uint8_t variant = scenario ? c.scenario()->variant : 0;
  std::string_view protocol = "tcp";
  int64_t from = 443, to = 443;
  std::string_view cidr = c.Cat({"10.", c.Num(r.Between(0, 3)), ".0.0/16"});
  bool ipv6 = false;
  if (scenario) {
    cidr = "0.0.0.0/0";
    ipv6 = variant % 2 == 1;
    switch (variant / 2 % 3) {
      case 0: from = to = 22; break;
      case 1: from = to = 3389; break;
      default: protocol = "-1", from = to = -1; break;
    }
  } else if (r.Chance(0.08)) {
    cidr = "0.0.0.0/0";  // a public web port, legitimately open
    from = to = r.Chance(0.5) ? 443 : 80;
  } else if (r.Chance(0.3)) {
    from = to = r.Chance(0.5) ? 5432 : 6379;
  } else if (r.Chance(0.2)) {
    cidr = c.Cat({c.pop().ips[c.persona().ips[0]], "/32"});
    from = to = 22;
  }
  const std::string_view group = c.Pick(c.res().security_groups);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "groupId", group);
  BeginItems(w, "ipPermissions");
  w.BeginObject();
  Str(w, "ipProtocol", protocol);
  if (from >= 0) {
    Int(w, "fromPort", from);
    Int(w, "toPort", to);
  }
  EmptyObject(w, "groups");
  BeginItems(w, "ipRanges");
  w.BeginObject();
  Str(w, "cidrIp", cidr);
  if (r.Chance(0.4)) Str(w, "description", scenario ? "temp access" : "managed by terraform");
  w.EndObject();
  EndItems(w);
  if (ipv6) {
    BeginItems(w, "ipv6Ranges");
    w.BeginObject();
    Str(w, "cidrIpv6", "::/0");
    w.EndObject();
    EndItems(w);
  } else {
    EmptyObject(w, "ipv6Ranges");
  }
  EmptyObject(w, "prefixListIds");
  w.EndObject();
  EndItems(w);
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "requestId", c.Uuid());
  Bool(o, "_return", true);
  if (c.action().name == "AuthorizeSecurityGroupIngress") {
    BeginItems(o, "securityGroupRuleSet");
    for (int i = 0; i < (ipv6 ? 2 : 1); ++i) {
      o.BeginObject();
      Str(o, "groupOwnerId", c.account_id());
      Str(o, "groupId", group);
      Str(o, "securityGroupRuleId", c.HexId("sgr-", 17));
      Bool(o, "isEgress", false);
      Str(o, "ipProtocol", protocol);
      Int(o, "fromPort", from);
      Int(o, "toPort", to);
      Str(o, i == 0 ? "cidrIpv4" : "cidrIpv6", i == 0 ? cidr : "::/0");
      o.EndObject();
    }
    EndItems(o);
  }
  o.EndObject();
}

void CreateSecurityGroup(EventContext& c) {
  const std::string_view name = c.Cat({c.rng().Pick(AppNames()), "-", c.account().name, "-sg"});
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "groupName", name);
  Str(w, "groupDescription", c.Cat({"Security group for ", name}));
  Str(w, "vpcId", c.Pick(c.res().vpcs));
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "requestId", c.Uuid());
  Bool(o, "_return", true);
  const std::string_view id = c.HexId("sg-", 17);
  Str(o, "groupId", id);
  Str(o, "securityGroupArn", c.Arn("ec2", c.Cat({"security-group/", id})));
  o.EndObject();
}

void CreateSnapshot(EventContext& c) {
  ServiceCaller(c, "backup.amazonaws.com");
  const std::string_view volume = c.Pick(c.res().volumes);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "volumeId", volume);
  Str(w, "description", "Created by AWS Backup");
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "requestId", c.Uuid());
  Str(o, "snapshotId", c.HexId("snap-", 17));
  Str(o, "volumeId", volume);
  Str(o, "status", "pending");
  Int(o, "startTime", c.time() / 1000);
  Str(o, "progress", "");
  Str(o, "ownerId", c.account_id());
  Int(o, "volumeSize", c.rng().Chance(0.5) ? 100 : 500);
  Bool(o, "encrypted", true);
  Str(o, "kmsKeyId", c.Arn("kms", c.Cat({"key/", c.Pick(c.res().kms_keys)})));
  o.EndObject();
}

void ModifySnapshotAttribute(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "snapshotId", c.Pick(c.res().snapshots));
  w.Key("createVolumePermission");
  w.BeginObject();
  w.Key("add");
  w.BeginObject();
  w.Key("items");
  w.BeginArray();
  w.BeginObject();
  Str(w, "userId", c.pop().vendor_accounts[1]);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  Str(w, "attributeType", "CREATE_VOLUME_PERMISSION");
  w.EndObject();
  Ec2Return(c);
}

void InstanceAttributeOrKey(EventContext& c) {
  const std::string_view name = c.action().name;
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "ModifyInstanceAttribute") {
    Str(w, "instanceId", c.Pick(c.res().instances));
    w.Key("userData");
    w.String("<sensitiveDataRemoved>");
    w.EndObject();
    Ec2Return(c);
    return;
  }
  const std::string_view key = c.Cat({c.rng().Pick(AppNames()), "-key-", c.Num(c.rng().Between(1, 9))});
  Str(w, "keyName", key);
  if (name == "ImportKeyPair") Str(w, "publicKeyMaterial", "<sensitiveDataRemoved>");
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  Str(o, "requestId", c.Uuid());
  Str(o, "keyName", key);
  Str(o, "keyFingerprint", c.Cat({c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2), ":", c.HexId("", 2)}));
  Str(o, "keyPairId", c.HexId("key-", 17));
  o.EndObject();
}

void NetworkChange(EventContext& c) {
  const std::string_view name = c.action().name;
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "CreateRoute") {
    Str(w, "routeTableId", c.HexId("rtb-", 17));
    Str(w, "destinationCidrBlock", "0.0.0.0/0");
    Str(w, "gatewayId", c.HexId("igw-", 17));
  } else if (name == "CreateNetworkAclEntry") {
    Str(w, "networkAclId", c.HexId("acl-", 17));
    Int(w, "ruleNumber", c.rng().Between(100, 200));
    Bool(w, "egress", false);
    Str(w, "ruleAction", "allow");
    Str(w, "icmpTypeCode", "");
    Str(w, "protocol", "6");
    w.Key("portRange");
    w.BeginObject();
    Int(w, "from", 22);
    Int(w, "to", 22);
    w.EndObject();
    Str(w, "cidrBlock", "0.0.0.0/0");
  } else if (name == "DeleteFlowLogs") {
    w.Key("DeleteFlowLogsRequest");
    w.BeginObject();
    w.Key("FlowLogId");
    w.BeginObject();
    Str(w, "content", c.HexId("fl-", 17));
    Int(w, "tag", 1);
    w.EndObject();
    w.EndObject();
  } else if (name == "DisableEbsEncryptionByDefault") {
    w.EndObject();
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "requestId", c.Uuid());
    Bool(o, "ebsEncryptionByDefault", false);
    o.EndObject();
    return;
  }
  w.EndObject();
  Ec2Return(c);
}

void SharedSnapshotVolumeCreated(EventContext& c) {
  c.SetInvokedBy("ec2.amazonaws.com");
  c.SetIdentity(IdentityStyle::kServiceEvent);
  c.SetNoRequestId();
  c.SetSharedEventId();
  JsonWriter& d = c.Details();
  d.BeginObject();
  Str(d, "snapshotId", c.Pick(c.res().snapshots));
  d.EndObject();
}

// ---- Auto Scaling and ELB ------------------------------------------------------------

void AutoScaling(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view group = c.Cat({c.rng().Pick(AppNames()), "-asg-", c.account().name});
  JsonWriter& w = c.Req();
  if (name == "DescribeAutoScalingGroups" && c.rng().Chance(0.5)) return;
  w.BeginObject();
  if (name == "DescribeAutoScalingGroups") {
    w.Key("autoScalingGroupNames");
    w.BeginArray();
    w.String(group);
    w.EndArray();
  } else {
    Str(w, "autoScalingGroupName", group);
  }
  if (name == "SetDesiredCapacity") {
    Int(w, "desiredCapacity", c.rng().Between(2, 12));
    Bool(w, "honorCooldown", false);
  } else if (name == "UpdateAutoScalingGroup") {
    Int(w, "minSize", 2);
    Int(w, "maxSize", c.rng().Between(6, 20));
  } else if (name == "CompleteLifecycleAction") {
    Str(w, "lifecycleHookName", "drain-hook");
    Str(w, "lifecycleActionResult", "CONTINUE");
    Str(w, "instanceId", c.Pick(c.res().instances));
  } else if (name == "DescribeScalingActivities") {
    Int(w, "maxRecords", 100);
  }
  w.EndObject();
}

void Elb(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view lb = c.Arn("elasticloadbalancing", c.Cat({"loadbalancer/", c.Pick(c.res().load_balancers)}));
  const std::string_view tg = c.Arn("elasticloadbalancing", c.Pick(c.res().target_groups));
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "DescribeLoadBalancers") {
    if (c.rng().Chance(0.4)) {
      w.Key("loadBalancerArns");
      w.BeginArray();
      w.String(lb);
      w.EndArray();
    }
    Int(w, "pageSize", 400);
  } else if (name == "DescribeTargetGroups" || name == "DescribeListeners") {
    Str(w, "loadBalancerArn", lb);
  } else if (name == "DescribeTargetHealth" || name == "ModifyTargetGroupAttributes") {
    Str(w, "targetGroupArn", tg);
  } else if (name == "DescribeTags") {
    w.Key("resourceArns");
    w.BeginArray();
    w.String(lb);
    w.String(tg);
    w.EndArray();
  } else if (name == "RegisterTargets" || name == "DeregisterTargets") {
    c.SetInvokedBy("ecs.amazonaws.com");
    Str(w, "targetGroupArn", tg);
    w.Key("targets");
    w.BeginArray();
    w.BeginObject();
    Str(w, "id", c.PrivateIp());
    Int(w, "port", 8080);
    w.EndObject();
    w.EndArray();
  } else if (name == "SetSecurityGroups") {
    Str(w, "loadBalancerArn", lb);
    w.Key("securityGroups");
    w.BeginArray();
    w.String(c.Pick(c.res().security_groups));
    w.EndArray();
  } else if (name == "DescribeLoadBalancerAttributes") {
    Str(w, "loadBalancerArn", lb);
  }
  w.EndObject();
}

// ---- Lambda -------------------------------------------------------------------------

std::string_view FunctionName(EventContext& c) {
  const Persona& p = c.persona();
  if (p.kind == PersonaKind::kLambda && c.rng().Chance(0.3)) return p.session_base;
  return c.Pick(c.res().functions);
}

void WriteFunctionConfiguration(EventContext& c, JsonWriter& o, std::string_view fn) {
  static constexpr std::string_view kRuntimes[] = {"python3.12", "nodejs20.x", "java21",
                                                   "python3.11", "provided.al2023"};
  o.BeginObject();
  Str(o, "functionName", fn);
  Str(o, "functionArn", c.Arn("lambda", c.Cat({"function:", fn})));
  Str(o, "runtime", c.rng().Pick(kRuntimes));
  Str(o, "role", c.GlobalArn("iam", c.Cat({"role/", fn, "-role"})));
  Str(o, "handler", "index.handler");
  Int(o, "codeSize", c.rng().Between(2000, 60'000'000));
  Str(o, "description", "");
  Int(o, "timeout", c.rng().Chance(0.5) ? 30 : 900);
  Int(o, "memorySize", c.rng().Chance(0.5) ? 512 : 1024);
  Str(o, "lastModified", c.Cat({c.IsoTime(c.time()).substr(0, 19), ".", c.Num(c.rng().Between(100, 999)), "+0000"}));
  Str(o, "codeSha256", c.Cat({c.Random(kBase64, 43), "="}));
  Str(o, "version", "$LATEST");
  o.Key("environment");
  o.BeginObject();
  Str(o, "variables", "HIDDEN_DUE_TO_SECURITY_REASONS");
  o.EndObject();
  o.Key("tracingConfig");
  o.BeginObject();
  Str(o, "mode", "PassThrough");
  o.EndObject();
  Str(o, "revisionId", c.Uuid());
  Str(o, "state", "Active");
  Str(o, "lastUpdateStatus", "InProgress");
  Str(o, "lastUpdateStatusReason", "The function is being created.");
  Str(o, "lastUpdateStatusReasonCode", "Creating");
  Str(o, "packageType", "Zip");
  o.Key("architectures");
  o.BeginArray();
  o.String(c.rng().Chance(0.6) ? "x86_64" : "arm64");
  o.EndArray();
  o.Key("ephemeralStorage");
  o.BeginObject();
  Int(o, "size", 512);
  o.EndObject();
  o.Key("snapStart");
  o.BeginObject();
  Str(o, "applyOn", "None");
  Str(o, "optimizationStatus", "Off");
  o.EndObject();
  o.Key("loggingConfig");
  o.BeginObject();
  Str(o, "logFormat", "Text");
  Str(o, "logGroup", c.Cat({"/aws/lambda/", fn}));
  o.EndObject();
  o.EndObject();
}

void LambdaCall(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view fn = FunctionName(c);
  const std::string_view arn = c.Arn("lambda", c.Cat({"function:", fn}));
  if (name.starts_with("ListFunctions")) {
    if (c.rng().Chance(0.5)) return;
    JsonWriter& w = c.Req();
    w.BeginObject();
    Int(w, "maxItems", 50);
    w.EndObject();
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, name.starts_with("ListTags") ? "resource" : "functionName", c.rng().Chance(0.5) ? fn : arn);
  if (name.starts_with("UpdateFunctionCode")) {
    Bool(w, "publish", false);
    Bool(w, "dryRun", false);
    Str(w, "s3Bucket", c.Pick(c.res().buckets));
    Str(w, "s3Key", c.Cat({"lambda/", fn, "/", c.HexId("", 40), ".zip"}));
  } else if (name.starts_with("UpdateFunctionConfiguration")) {
    Int(w, "timeout", 60);
    Int(w, "memorySize", 1024);
    w.Key("environment");
    w.BeginObject();
    Str(w, "variables", "HIDDEN_DUE_TO_SECURITY_REASONS");
    w.EndObject();
  } else if (name.starts_with("AddPermission")) {
    Str(w, "statementId", c.Cat({"allow-", c.Uuid()}));
    Str(w, "action", "lambda:InvokeFunction");
    Str(w, "principal", "events.amazonaws.com");
    Str(w, "sourceArn", c.Arn("events", c.Cat({"rule/", fn, "-schedule"})));
  } else if (name == "Invoke") {
    Str(w, "invocationType", c.rng().Chance(0.6) ? "RequestResponse" : "Event");
  }
  w.EndObject();
  if (name.starts_with("UpdateFunction") || name.starts_with("CreateFunction")) {
    WriteFunctionConfiguration(c, c.Res(), fn);
  } else if (name.starts_with("AddPermission")) {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "statement", c.Cat({"{\"Sid\":\"allow\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"", arn, "\"}"}));
    o.EndObject();
  }
  if (name == "Invoke") {
    JsonWriter& a = c.Add();
    a.BeginObject();
    Str(a, "functionVersion", c.Cat({arn, ":$LATEST"}));
    a.EndObject();
    c.Resource("AWS::Lambda::Function", arn);
  }
}

// ---- ECS, EKS, ECR ------------------------------------------------------------------

void Ecs(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view cluster = c.Pick(c.res().ecs_clusters);
  const std::string_view service = c.Pick(c.res().ecs_services);
  JsonWriter& w = c.Req();
  if (name == "ListClusters") return;
  w.BeginObject();
  if (name == "DescribeClusters") {
    w.Key("clusters");
    w.BeginArray();
    w.String(cluster);
    w.EndArray();
    w.Key("include");
    w.BeginArray();
    w.String("STATISTICS");
    w.EndArray();
  } else {
    Str(w, "cluster", cluster);
  }
  const std::string_view task_arn = c.Arn("ecs", c.Cat({"task/", cluster, "/", c.HexId("", 32)}));
  if (name == "DescribeServices") {
    w.Key("services");
    w.BeginArray();
    w.String(service);
    w.EndArray();
  } else if (name == "ListTasks") {
    Str(w, "serviceName", service);
    Str(w, "desiredStatus", "RUNNING");
  } else if (name == "DescribeTasks") {
    w.Key("tasks");
    w.BeginArray();
    w.String(task_arn);
    w.EndArray();
  } else if (name == "UpdateService") {
    Str(w, "service", service);
    Str(w, "taskDefinition", c.Cat({c.Pick(c.res().task_families), ":", c.Num(c.rng().Between(10, 400))}));
    Bool(w, "forceNewDeployment", true);
  } else if (name == "ExecuteCommand") {
    Str(w, "container", "app");
    Str(w, "command", "/bin/sh");
    Bool(w, "interactive", true);
    Str(w, "task", task_arn);
  } else if (name == "DiscoverPollEndpoint") {
    Str(w, "containerInstance", c.Arn("ecs", c.Cat({"container-instance/", cluster, "/", c.HexId("", 32)})));
  }
  w.EndObject();
  if (name == "UpdateService") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    o.Key("service");
    o.BeginObject();
    Str(o, "serviceArn", c.Arn("ecs", c.Cat({"service/", cluster, "/", service})));
    Str(o, "serviceName", service);
    Str(o, "clusterArn", c.Arn("ecs", c.Cat({"cluster/", cluster})));
    Str(o, "status", "ACTIVE");
    Int(o, "desiredCount", c.rng().Between(2, 8));
    Int(o, "runningCount", c.rng().Between(2, 8));
    Int(o, "pendingCount", 0);
    Str(o, "launchType", "FARGATE");
    Str(o, "platformVersion", "LATEST");
    o.Key("deploymentConfiguration");
    o.BeginObject();
    o.Key("deploymentCircuitBreaker");
    o.BeginObject();
    Bool(o, "enable", true);
    Bool(o, "rollback", true);
    o.EndObject();
    Int(o, "maximumPercent", 200);
    Int(o, "minimumHealthyPercent", 100);
    o.EndObject();
    Str(o, "createdAt", c.JavaTime(c.time() - 86400LL * 120 * kMicrosPerSecond));
    o.EndObject();
    o.EndObject();
  } else if (name == "ExecuteCommand") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "clusterArn", c.Arn("ecs", c.Cat({"cluster/", cluster})));
    Str(o, "containerName", "app");
    Bool(o, "interactive", true);
    o.Key("session");
    o.BeginObject();
    Str(o, "sessionId", c.Cat({"ecs-execute-command-", c.HexId("", 17)}));
    Str(o, "streamUrl", c.Cat({"wss://ssmmessages.", c.region(), ".amazonaws.com/v1/data-channel/ecs-execute-command-", c.HexId("", 17)}));
    Str(o, "tokenValue", "HIDDEN_DUE_TO_SECURITY_REASONS");
    o.EndObject();
    Str(o, "taskArn", task_arn);
    o.EndObject();
  }
}

void RegisterTaskDefinition(EventContext& c) {
  const std::string_view family = c.Pick(c.res().task_families);
  const std::string_view repo = c.Pick(c.res().ecr_repos);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "family", family);
  Str(w, "taskRoleArn", c.GlobalArn("iam", c.Cat({"role/", family, "-task-role"})));
  Str(w, "executionRoleArn", c.GlobalArn("iam", "role/ecsTaskExecutionRole"));
  Str(w, "networkMode", "awsvpc");
  w.Key("containerDefinitions");
  w.BeginArray();
  w.BeginObject();
  Str(w, "name", "app");
  Str(w, "image", c.Cat({c.account_id(), ".dkr.ecr.", c.region(), ".amazonaws.com/", repo, ":", c.HexId("", 12)}));
  Int(w, "cpu", 0);
  w.Key("portMappings");
  w.BeginArray();
  w.BeginObject();
  Int(w, "containerPort", 8080);
  Int(w, "hostPort", 8080);
  Str(w, "protocol", "tcp");
  w.EndObject();
  w.EndArray();
  Bool(w, "essential", true);
  w.Key("environment");
  w.BeginArray();
  for (std::string_view var : {"LOG_LEVEL", "PORT", "AWS_REGION"}) {
    w.BeginObject();
    Str(w, "name", var);
    Str(w, "value", var == "PORT" ? std::string_view("8080") : var == "AWS_REGION" ? c.region() : std::string_view("info"));
    w.EndObject();
  }
  w.EndArray();
  w.Key("logConfiguration");
  w.BeginObject();
  Str(w, "logDriver", "awslogs");
  w.Key("options");
  w.BeginObject();
  Str(w, "awslogs-group", c.Cat({"/ecs/", family}));
  Str(w, "awslogs-region", c.region());
  Str(w, "awslogs-stream-prefix", "ecs");
  w.EndObject();
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.Key("requiresCompatibilities");
  w.BeginArray();
  w.String("FARGATE");
  w.EndArray();
  Str(w, "cpu", "512");
  Str(w, "memory", "1024");
  w.EndObject();
  JsonWriter& o = c.Res();
  o.BeginObject();
  o.Key("taskDefinition");
  o.BeginObject();
  Str(o, "taskDefinitionArn", c.Arn("ecs", c.Cat({"task-definition/", family, ":", c.Num(c.rng().Between(10, 400))})));
  Str(o, "family", family);
  Int(o, "revision", c.rng().Between(10, 400));
  Str(o, "status", "ACTIVE");
  Str(o, "registeredAt", c.JavaTime(c.time()));
  Str(o, "registeredBy", c.caller().arn);
  o.EndObject();
  o.EndObject();
}

void Eks(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListClusters") return;
  const std::string_view cluster = c.Pick(c.res().eks_clusters);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "name", cluster);
  if (name == "DescribeNodegroup") Str(w, "nodegroupName", c.Cat({cluster, "-ng-", c.Num(c.rng().Between(1, 3))}));
  if (name == "CreateAccessEntry" || name == "AssociateAccessPolicy") {
    Str(w, "principalArn", PickRole(c).arn);
  }
  if (name == "AssociateAccessPolicy") {
    Str(w, "policyArn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  }
  w.EndObject();
}

void Ecr(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "GetAuthorizationToken") return;
  const std::string_view repo = c.Pick(c.res().ecr_repos);
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name != "DescribeRepositories") {
    Str(w, "repositoryName", repo);
    Str(w, "registryId", c.account_id());
  }
  if (name == "BatchGetImage") {
    w.Key("imageIds");
    w.BeginArray();
    w.BeginObject();
    Str(w, "imageTag", c.rng().Chance(0.4) ? std::string_view("latest") : c.HexId("", 12));
    w.EndObject();
    w.EndArray();
    w.Key("acceptedMediaTypes");
    w.BeginArray();
    w.String("application/vnd.docker.distribution.manifest.v2+json");
    w.String("application/vnd.oci.image.manifest.v1+json");
    w.String("application/vnd.oci.image.index.v1+json");
    w.EndArray();
  } else if (name == "GetDownloadUrlForLayer") {
    Str(w, "layerDigest", c.Cat({"sha256:", c.HexId("", 64)}));
  } else if (name == "BatchCheckLayerAvailability") {
    w.Key("layerDigests");
    w.BeginArray();
    for (int i = 0; i < 3; ++i) w.String(c.Cat({"sha256:", c.HexId("", 64)}));
    w.EndArray();
  }
  if (name == "PutImage") {
    const std::string_view tag = c.HexId("", 12);
    const std::string_view manifest = c.Cat({
        "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n   \"config\": {\n      \"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n      \"size\": ",
        c.Num(c.rng().Between(2000, 9000)), ",\n      \"digest\": \"sha256:", c.HexId("", 64),
        "\"\n   },\n   \"layers\": [\n      {\n         \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n         \"size\": ",
        c.Num(c.rng().Between(1'000'000, 80'000'000)), ",\n         \"digest\": \"sha256:", c.HexId("", 64),
        "\"\n      },\n      {\n         \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n         \"size\": ",
        c.Num(c.rng().Between(1000, 9'000'000)), ",\n         \"digest\": \"sha256:", c.HexId("", 64), "\"\n      }\n   ]\n}"});
    Str(w, "imageTag", tag);
    Str(w, "imageManifest", manifest);
    Str(w, "imageManifestMediaType", "application/vnd.docker.distribution.manifest.v2+json");
    w.EndObject();
    JsonWriter& o = c.Res();
    o.BeginObject();
    o.Key("image");
    o.BeginObject();
    Str(o, "registryId", c.account_id());
    Str(o, "repositoryName", repo);
    o.Key("imageId");
    o.BeginObject();
    Str(o, "imageDigest", c.Cat({"sha256:", c.HexId("", 64)}));
    Str(o, "imageTag", tag);
    o.EndObject();
    Str(o, "imageManifest", manifest);
    Str(o, "imageManifestMediaType", "application/vnd.docker.distribution.manifest.v2+json");
    o.EndObject();
    o.EndObject();
  } else {
    w.EndObject();
  }
  if (name == "InitiateLayerUpload") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "uploadId", c.Uuid());
    Int(o, "partSize", 10485760);
    o.EndObject();
  }
  c.Resource("AWS::ECR::Repository", c.Arn("ecr", c.Cat({"repository/", repo})));
}

constexpr uint32_t kEc2Only = KindBit(PersonaKind::kEc2);
constexpr uint32_t kContainers = KindBit(PersonaKind::kEcsTask) | KindBit(PersonaKind::kEksPod) |
                                 KindBit(PersonaKind::kEc2) | KindBit(PersonaKind::kCiRole) |
                                 KindBit(PersonaKind::kSsoUser) | KindBit(PersonaKind::kIamAutomation);

const ActionSpec kComputeActions[] = {
    // EC2 reads
    {Service::kEc2, "DescribeInstances", Access::kRead, {.human = 40, .automation = 12, .workload = 5, .ci = 15, .scanner = 40}, DescribeInstances},
    {Service::kEc2, "DescribeInstanceStatus", Access::kRead, {.human = 8, .automation = 3, .workload = 2, .scanner = 12}, DescribeWithSets},
    {Service::kEc2, "DescribeVolumes", Access::kRead, {.human = 8, .automation = 3, .ci = 4, .scanner = 12}, DescribeWithSets},
    {Service::kEc2, "DescribeSecurityGroups", Access::kRead, {.human = 15, .automation = 2, .ci = 15, .scanner = 15}, DescribeWithSets},
    {Service::kEc2, "DescribeSubnets", Access::kRead, {.human = 10, .ci = 12, .scanner = 8}, DescribeWithSets},
    {Service::kEc2, "DescribeVpcs", Access::kRead, {.human = 10, .ci = 12, .scanner = 8}, DescribeWithSets},
    {Service::kEc2, "DescribeImages", Access::kRead, {.human = 6, .automation = 2, .ci = 8, .scanner = 4}, DescribeWithSets},
    {Service::kEc2, "DescribeSnapshots", Access::kRead, {.human = 3, .automation = 2, .scanner = 8}, DescribeWithSets},
    {Service::kEc2, "DescribeNetworkInterfaces", Access::kRead, {.human = 4, .workload = 1, .ci = 4, .scanner = 6}, DescribeWithSets},
    {Service::kEc2, "DescribeAddresses", Access::kRead, {.human = 4, .scanner = 6}, DescribeWithSets},
    {Service::kEc2, "DescribeRegions", Access::kRead, {.human = 5, .automation = 2, .ci = 3, .scanner = 10}, DescribeWithSets},
    {Service::kEc2, "DescribeAvailabilityZones", Access::kRead, {.human = 5, .ci = 6, .scanner = 3}, DescribeWithSets},
    {Service::kEc2, "DescribeTags", Access::kRead, {.human = 5, .workload = 2, .ci = 6, .scanner = 8}, DescribeWithSets},
    {Service::kEc2, "DescribeKeyPairs", Access::kRead, {.human = 3, .ci = 2, .scanner = 4}, DescribeWithSets},
    {Service::kEc2, "DescribeLaunchTemplates", Access::kRead, {.human = 2, .ci = 4, .scanner = 3}, DescribeWithSets},
    {Service::kEc2, "DescribeAccountAttributes", Access::kRead, {.human = 5, .ci = 4, .scanner = 3}, DescribeWithSets},
    {Service::kEc2, "DescribeInstanceTypes", Access::kRead, {.human = 3, .ci = 3}, DescribeInstanceTypes},
    {Service::kEc2, "DescribeRouteTables", Access::kRead, {.human = 3, .ci = 6, .scanner = 6}, DescribeWithSets},
    {Service::kEc2, "DescribeFlowLogs", Access::kRead, {.human = 0.5, .scanner = 5}, DescribeWithSets},
    {Service::kEc2, "DescribeInstanceAttribute", Access::kRead, {.human = 1, .ci = 4, .scanner = 3}, DescribeWithSets},
    // EC2 writes
    {Service::kEc2, "RunInstances", Access::kWrite, {.human = 0.5, .ci = 1.5, .service = 4}, RunInstances},
    {Service::kEc2, "StartInstances", Access::kWrite, {.human = 1, .automation = 0.5}, InstanceStateChange},
    {Service::kEc2, "StopInstances", Access::kWrite, {.human = 1, .automation = 0.5}, InstanceStateChange},
    {Service::kEc2, "TerminateInstances", Access::kWrite, {.human = 0.3, .ci = 0.3, .service = 3}, InstanceStateChange},
    {Service::kEc2, "CreateTags", Access::kWrite, {.human = 2, .automation = 0.5, .ci = 4, .service = 4}, CreateTags},
    {Service::kEc2, "AuthorizeSecurityGroupIngress", Access::kWrite, {.human = 0.5, .ci = 1.2}, SecurityGroupIngress},
    {Service::kEc2, "RevokeSecurityGroupIngress", Access::kWrite, {.human = 0.2, .ci = 0.6}, SecurityGroupIngress},
    {Service::kEc2, "CreateSecurityGroup", Access::kWrite, {.human = 0.2, .ci = 0.4}, CreateSecurityGroup},
    {Service::kEc2, "CreateSnapshot", Access::kWrite, {.human = 0.3, .automation = 1.5, .service = 2}, CreateSnapshot},
    {Service::kEc2, "ModifySnapshotAttribute", Access::kWrite, {.human = 0.01}, ModifySnapshotAttribute},
    {Service::kEc2, "ModifyInstanceAttribute", Access::kWrite, {.human = 0.1, .ci = 0.2}, InstanceAttributeOrKey},
    {Service::kEc2, "CreateKeyPair", Access::kWrite, {.human = 0.1, .ci = 0.05}, InstanceAttributeOrKey},
    {Service::kEc2, "ImportKeyPair", Access::kWrite, {.human = 0.03}, InstanceAttributeOrKey},
    {Service::kEc2, "CreateRoute", Access::kWrite, {.human = 0.03, .ci = 0.2}, NetworkChange},
    {Service::kEc2, "CreateNetworkAclEntry", Access::kWrite, {.human = 0.02, .ci = 0.1}, NetworkChange},
    {Service::kEc2, "DeleteFlowLogs", Access::kWrite, {.human = 0.005, .ci = 0.02}, NetworkChange},
    {Service::kEc2, "DisableEbsEncryptionByDefault", Access::kWrite, {.human = 0.002}, NetworkChange},
    {Service::kEc2, "SharedSnapshotVolumeCreated", Access::kServiceEvent, {.service = 1}, SharedSnapshotVolumeCreated, Errors::kNone},
    // Auto Scaling
    {Service::kAutoScaling, "DescribeAutoScalingGroups", Access::kRead, {.human = 3, .workload = 1, .ci = 4, .scanner = 6}, AutoScaling},
    {Service::kAutoScaling, "DescribeScalingActivities", Access::kRead, {.human = 1, .scanner = 1}, AutoScaling},
    {Service::kAutoScaling, "SetDesiredCapacity", Access::kWrite, {.human = 0.2, .automation = 1, .workload = 0.5}, AutoScaling},
    {Service::kAutoScaling, "UpdateAutoScalingGroup", Access::kWrite, {.human = 0.1, .ci = 0.5}, AutoScaling},
    {Service::kAutoScaling, "CompleteLifecycleAction", Access::kWrite, {.workload = 1}, AutoScaling, Errors::kDefault, kEc2Only},
    // ELB
    {Service::kElb, "DescribeLoadBalancers", Access::kRead, {.human = 4, .workload = 1, .ci = 6, .scanner = 8}, Elb},
    {Service::kElb, "DescribeTargetGroups", Access::kRead, {.human = 3, .ci = 6, .scanner = 4}, Elb},
    {Service::kElb, "DescribeTargetHealth", Access::kRead, {.human = 3, .automation = 4, .workload = 3, .ci = 4, .scanner = 6}, Elb},
    {Service::kElb, "DescribeListeners", Access::kRead, {.human = 2, .ci = 5, .scanner = 4}, Elb},
    {Service::kElb, "DescribeTags", Access::kRead, {.human = 1, .ci = 5, .scanner = 6}, Elb},
    {Service::kElb, "DescribeLoadBalancerAttributes", Access::kRead, {.human = 1, .ci = 5, .scanner = 4}, Elb},
    {Service::kElb, "RegisterTargets", Access::kWrite, {.service = 8}, Elb},
    {Service::kElb, "DeregisterTargets", Access::kWrite, {.service = 7}, Elb},
    {Service::kElb, "ModifyTargetGroupAttributes", Access::kWrite, {.ci = 0.4}, Elb},
    {Service::kElb, "SetSecurityGroups", Access::kWrite, {.human = 0.05, .ci = 0.1}, Elb},
    // Lambda
    {Service::kLambda, "ListFunctions20150331", Access::kRead, {.human = 6, .automation = 1, .ci = 4, .scanner = 10}, LambdaCall},
    {Service::kLambda, "GetFunction20150331v2", Access::kRead, {.human = 5, .ci = 10, .scanner = 5}, LambdaCall},
    {Service::kLambda, "GetFunctionConfiguration20150331v2", Access::kRead, {.human = 1, .workload = 1, .ci = 4, .scanner = 3}, LambdaCall},
    {Service::kLambda, "GetPolicy20150331v2", Access::kRead, {.human = 0.5, .ci = 6, .scanner = 6}, LambdaCall},
    {Service::kLambda, "ListVersionsByFunction20150331", Access::kRead, {.ci = 6}, LambdaCall},
    {Service::kLambda, "ListTags20170331", Access::kRead, {.ci = 4, .scanner = 3}, LambdaCall},
    {Service::kLambda, "ListEventSourceMappings20150331", Access::kRead, {.human = 0.5, .ci = 3, .scanner = 2}, LambdaCall},
    {Service::kLambda, "UpdateFunctionCode20150331v2", Access::kWrite, {.human = 0.5, .ci = 4}, LambdaCall},
    {Service::kLambda, "UpdateFunctionConfiguration20150331v2", Access::kWrite, {.human = 0.3, .ci = 2}, LambdaCall},
    {Service::kLambda, "CreateFunction20150331", Access::kWrite, {.human = 0.05, .ci = 0.3}, LambdaCall},
    {Service::kLambda, "AddPermission20150331v2", Access::kWrite, {.human = 0.05, .ci = 0.5}, LambdaCall},
    {Service::kLambda, "PublishVersion20150331", Access::kWrite, {.ci = 1}, LambdaCall},
    {Service::kLambda, "Invoke", Access::kDataWrite, {.human = 1, .automation = 4, .workload = 25, .service = 25}, LambdaCall},
    // ECS
    {Service::kEcs, "ListClusters", Access::kRead, {.human = 3, .ci = 2, .scanner = 6}, Ecs},
    {Service::kEcs, "DescribeClusters", Access::kRead, {.human = 3, .ci = 3, .scanner = 5}, Ecs},
    {Service::kEcs, "ListServices", Access::kRead, {.human = 3, .ci = 2, .scanner = 5}, Ecs},
    {Service::kEcs, "DescribeServices", Access::kRead, {.human = 5, .workload = 1, .ci = 10, .scanner = 5}, Ecs},
    {Service::kEcs, "ListTasks", Access::kRead, {.human = 3, .workload = 1, .ci = 2, .scanner = 3}, Ecs},
    {Service::kEcs, "DescribeTasks", Access::kRead, {.human = 3, .workload = 2, .ci = 3, .scanner = 3}, Ecs},
    {Service::kEcs, "DescribeTaskDefinition", Access::kRead, {.human = 1, .ci = 6, .scanner = 3}, Ecs},
    {Service::kEcs, "RegisterTaskDefinition", Access::kWrite, {.human = 0.1, .ci = 3}, RegisterTaskDefinition},
    {Service::kEcs, "UpdateService", Access::kWrite, {.human = 0.3, .ci = 3}, Ecs},
    {Service::kEcs, "ExecuteCommand", Access::kWrite, {.human = 0.1}, Ecs},
    {Service::kEcs, "DiscoverPollEndpoint", Access::kRead, {.workload = 8}, Ecs, Errors::kNone, kEc2Only},
    // EKS
    {Service::kEks, "ListClusters", Access::kRead, {.human = 2, .ci = 2, .scanner = 4}, Eks},
    {Service::kEks, "DescribeCluster", Access::kRead, {.human = 3, .workload = 2, .ci = 6, .scanner = 4}, Eks},
    {Service::kEks, "ListNodegroups", Access::kRead, {.human = 1, .ci = 2, .scanner = 3}, Eks},
    {Service::kEks, "DescribeNodegroup", Access::kRead, {.human = 1, .ci = 3, .scanner = 2}, Eks},
    {Service::kEks, "ListAddons", Access::kRead, {.ci = 2, .scanner = 1}, Eks},
    {Service::kEks, "ListAccessEntries", Access::kRead, {.human = 0.2, .ci = 1, .scanner = 2}, Eks},
    {Service::kEks, "CreateAccessEntry", Access::kWrite, {.human = 0.02, .ci = 0.1}, Eks},
    {Service::kEks, "AssociateAccessPolicy", Access::kWrite, {.human = 0.02, .ci = 0.1}, Eks},
    {Service::kEks, "UpdateClusterConfig", Access::kWrite, {.human = 0.02, .ci = 0.1}, Eks},
    {Service::kEks, "CreateCluster", Access::kWrite, {.human = 0.002, .ci = 0.01}, Eks},
    {Service::kEks, "DeleteCluster", Access::kWrite, {.human = 0.001, .ci = 0.005}, Eks},
    // ECR
    {Service::kEcr, "GetAuthorizationToken", Access::kRead, {.human = 1, .automation = 3, .workload = 6, .ci = 8}, Ecr, Errors::kDefault, kContainers},
    {Service::kEcr, "BatchGetImage", Access::kRead, {.automation = 2, .workload = 8, .ci = 2}, Ecr, Errors::kDefault, kContainers},
    {Service::kEcr, "GetDownloadUrlForLayer", Access::kRead, {.automation = 3, .workload = 12, .ci = 2}, Ecr, Errors::kDefault, kContainers},
    {Service::kEcr, "BatchCheckLayerAvailability", Access::kRead, {.ci = 6}, Ecr},
    {Service::kEcr, "InitiateLayerUpload", Access::kWrite, {.ci = 3}, Ecr},
    {Service::kEcr, "CompleteLayerUpload", Access::kWrite, {.ci = 3}, Ecr},
    {Service::kEcr, "PutImage", Access::kWrite, {.ci = 2}, Ecr},
    {Service::kEcr, "DescribeRepositories", Access::kRead, {.human = 2, .ci = 2, .scanner = 5}, Ecr},
    {Service::kEcr, "DescribeImages", Access::kRead, {.human = 2, .ci = 4, .scanner = 3}, Ecr},
    {Service::kEcr, "ListImages", Access::kRead, {.human = 1, .ci = 3, .scanner = 2}, Ecr},
    {Service::kEcr, "GetRepositoryPolicy", Access::kRead, {.scanner = 3}, Ecr},
};

}  // namespace

std::span<const ActionSpec> ComputeActions() { return kComputeActions; }

}  // namespace trailbook::gen::internal
