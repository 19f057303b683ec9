SELECT eventID, eventName, eventTime FROM 0123abcd-0000-1111-2222-333344445555
WHERE eventName = 'DeleteBucket'
UNION ALL
SELECT eventID, eventName, eventTime FROM 89abcdef-4444-5555-6666-777788889999
WHERE eventName = 'DeleteBucket'
ORDER BY eventTime
