SELECT tlsDetails.tlsVersion, tlsDetails.cipherSuite, eventSource, count(*) AS calls
FROM events
WHERE tlsDetails.tlsVersion IN ('TLSv1', 'TLSv1.1')
GROUP BY tlsDetails.tlsVersion, tlsDetails.cipherSuite, eventSource
ORDER BY calls DESC
