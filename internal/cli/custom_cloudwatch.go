package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/awsxlab/awsx/internal/cli/params"
)

// putMetricData is the AWS CLI's cloudwatch put-metric-data: one datum in scalar arguments,
// --metric-name Hits --value 3 --unit Count --dimensions Host=web-1,Path=/, which fill in
// MetricData[0], and may not be given with --metric-data.
// (awscli/customizations/putmetricdata.py)
var putMetricData = &customization{
	check: func(words map[string][]string) error {
		scalars := []string{"metric-name", "timestamp", "unit", "value", "dimensions", "statistic-values"}
		if _, ok := words["metric-data"]; !ok {
			return nil
		}
		for _, f := range scalars {
			if _, ok := words[f]; ok {
				// The AWS CLI v2 exits 252 (v1 255), as for its other parameter conflicts.
				return &exitError{exitUsage, fmt.Sprintf("\nThe key \"%s\" cannot be specified when one of the following keys are also specified: metric_data\n", strings.ReplaceAll(f, "-", "_"))}
			}
		}
		return nil
	},
	extras: []extra{
		{flag: "metric-name", help: "The name of the metric.", set: oneValue(func(in any, v string) error {
			firstDatum(in).MetricName = aws.String(v)
			return nil
		})},
		{flag: "timestamp", help: "The time stamp used for the metric. If not specified, the default value is set to the time the metric data was received.", set: oneValue(func(in any, v string) error {
			var tmp cloudwatch.PutMetricDataInput
			if err := params.FromJSON(&tmp, fmt.Appendf(nil, `{"MetricData":[{"MetricName":"x","Timestamp":%q}]}`, v)); err != nil || len(tmp.MetricData) != 1 {
				return fmt.Errorf("invalid timestamp %q", v)
			}
			firstDatum(in).Timestamp = tmp.MetricData[0].Timestamp
			return nil
		})},
		{flag: "unit", help: "The unit of metric.", set: oneValue(func(in any, v string) error {
			firstDatum(in).Unit = types.StandardUnit(v)
			return nil
		})},
		{flag: "value", help: "The value for the metric.", set: oneValue(func(in any, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return fmt.Errorf("[<class 'decimal.ConversionSyntax'>]")
			}
			firstDatum(in).Value = aws.Float64(f)
			return nil
		})},
		{flag: "dimensions", help: "Name=Value pairs, separated by commas: --dimensions InstanceID=1-23456789,InstanceType=m1.small.", set: oneValue(func(in any, v string) error {
			var ds []types.Dimension
			for _, pair := range strings.Split(v, ",") {
				k, val, ok := strings.Cut(pair, "=")
				if !ok || strings.Contains(val, "=") {
					return fmt.Errorf("not enough values to unpack (expected 2, got 1)")
				}
				ds = append(ds, types.Dimension{Name: aws.String(k), Value: aws.String(val)})
			}
			firstDatum(in).Dimensions = ds
			return nil
		})},
		{flag: "statistic-values", help: "Sum=…,Minimum=…,Maximum=…,SampleCount=…: a set of statistical values describing the metric.", set: oneValue(func(in any, v string) error {
			sv := &types.StatisticSet{}
			for _, pair := range strings.Split(v, ",") {
				k, val, ok := strings.Cut(pair, "=")
				f, err := strconv.ParseFloat(val, 64)
				if !ok || err != nil {
					return fmt.Errorf("invalid statistic value %q", pair)
				}
				switch k {
				case "Sum":
					sv.Sum = aws.Float64(f)
				case "Minimum":
					sv.Minimum = aws.Float64(f)
				case "Maximum":
					sv.Maximum = aws.Float64(f)
				case "SampleCount":
					sv.SampleCount = aws.Float64(f)
				}
			}
			firstDatum(in).StatisticValues = sv
			return nil
		})},
		{flag: "storage-resolution", help: "1 for high resolution (one second), 60 for standard (one minute).", set: oneValue(func(in any, v string) error {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
			if err != nil {
				return fmt.Errorf("invalid literal for int() with base 10: '%s'", v)
			}
			firstDatum(in).StorageResolution = aws.Int32(int32(n))
			return nil
		})},
	},
}

// firstDatum returns MetricData[0], made when there is none.
func firstDatum(in any) *types.MetricDatum {
	p := in.(*cloudwatch.PutMetricDataInput)
	if len(p.MetricData) == 0 {
		p.MetricData = []types.MetricDatum{{}}
	}
	return &p.MetricData[0]
}
