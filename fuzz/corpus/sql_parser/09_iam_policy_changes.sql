SELECT eventTime, eventName, userIdentity.arn AS actor,
       coalesce(element_at(requestParameters, 'policyArn'), element_at(requestParameters, 'policyName')) AS policy,
       element_at(requestParameters, 'roleName') AS role_name
FROM events
WHERE eventSource = 'iam.amazonaws.com'
  AND eventName IN ('AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy',
                    'AttachUserPolicy', 'PutUserPolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion')
  AND errorCode IS NULL
