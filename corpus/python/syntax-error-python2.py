# Python 2 code: said once per file as not valid Python 3, at its first Python 2
# construct, however many there are; what parses is still checked.
from pyspark import SparkContext
from pyspark.sql import SQLContext

sc = SparkContext()
sqlContext = SQLContext(sc)

events = sqlContext.table("events")
print "events:", events.count()  # expect: SG902
print "partitions:", events.rdd.getNumPartitions()
try:
    rows = events.collect()  # expect: SG101
except Exception, e:
    print >>sys.stderr, "failed", e
