namespace AuditDashboard.Core.Reports;

/// <summary>How a report's chart cuts its period: by day, by week (starting on Monday) or by month, in the viewer's zone.</summary>
public enum ReportBucket
{
    Day,
    Week,
    Month,
}

/// <summary>
/// The recorded times a report covers, both ends included, and the zone its days, weeks and months are cut in (the
/// viewer's: a day in Paris is not a day in UTC).
/// </summary>
public sealed record ReportPeriod
{
    /// <summary>The most buckets a chart shows across a whole period; a longer one is charted from its first event to its last.</summary>
    public const int MaxBuckets = 400;

    public ReportPeriod(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (from > to)
            throw new ArgumentException($"The period is empty: from ({from:O}) is after to ({to:O}).", nameof(to));
        From = from.ToUniversalTime();
        To = to.ToUniversalTime();
        Zone = zone;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Days up to a month and a day, weeks up to half a year, months beyond: a chart of a few dozen bars at most, whatever the period.</summary>
    public ReportBucket Bucket => (To - From) switch
    {
        var span when span <= TimeSpan.FromDays(32) => ReportBucket.Day,
        var span when span <= TimeSpan.FromDays(183) => ReportBucket.Week,
        _ => ReportBucket.Month,
    };

    public bool Contains(DateTimeOffset moment) => moment >= From && moment <= To;

    /// <summary>The first day of the bucket holding <paramref name="moment"/>, in the period's zone.</summary>
    public DateOnly BucketOf(DateTimeOffset moment)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, Zone).Date);
        return Bucket switch
        {
            ReportBucket.Day => day,
            ReportBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateOnly(day.Year, day.Month, 1),
        };
    }

    /// <summary>
    /// Every bucket from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>, in order;
    /// null when there are more than <see cref="MaxBuckets"/>.
    /// </summary>
    public IReadOnlyList<DateOnly>? BucketsBetween(DateTimeOffset first, DateTimeOffset last)
    {
        var buckets = new List<DateOnly>();
        var end = BucketOf(last);
        for (var bucket = BucketOf(first); ; bucket = Next(bucket))
        {
            buckets.Add(bucket);
            if (bucket >= end)
                return buckets;
            if (buckets.Count == MaxBuckets)
                return null;
        }
    }

    private DateOnly Next(DateOnly bucket) => Bucket switch
    {
        ReportBucket.Day => bucket.AddDays(1),
        ReportBucket.Week => bucket.AddDays(7),
        _ => bucket.AddMonths(1),
    };
}
