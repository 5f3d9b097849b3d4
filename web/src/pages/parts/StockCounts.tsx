import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PartLines } from "./PartLines";

type Count = components["schemas"]["StockCount"];
interface CountEntry {
  note?: string;
  lines: { part_no: string; counted: number }[];
}
const STATE_TONE: Record<string, string> = { counted: TONE.gold, approved: TONE.green, rejected: TONE.grey };

/** The stock count (盘点): the warehouse enters what the shelf holds, each part against the books
 * with its variance in units and money; the parts manager approves (the variances are booked) or
 * rejects. */
export function StockCounts() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useAuth();
  const queries = useQueryClient();
  const [counting, setCounting] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<CountEntry>();
  const counts = useQuery({
    queryKey: ["stock-counts"],
    queryFn: () => call(api.GET("/api/v1/stock-counts", { params: { query: { limit: 50 } } })),
  });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ["stock-counts"] });
    void queries.invalidateQueries({ queryKey: ["parts"] });
  };
  const count = useMutation({
    mutationFn: (entry: CountEntry) =>
      call(
        api.POST("/api/v1/stock-counts", {
          body: {
            note: entry.note?.trim() || null,
            lines: entry.lines.map((line) => ({ part_no: line.part_no.trim().toUpperCase(), counted: String(line.counted) })),
          },
        }),
      ),
    onSuccess: () => {
      message.success(t("counts.saved"));
      setCounting(false);
      refresh();
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const decide = useMutation({
    mutationFn: ({ which, to }: { which: Count; to: "approved" | "rejected" }) =>
      call(
        api.POST("/api/v1/stock-counts/{count_id}/transitions", {
          params: { path: { count_id: which.id }, header: { "if-match": `"${which.version}"` } },
          body: { to },
        }),
      ),
    onSuccess: (_, { to }) => {
      message.success(t(`counts.${to}`));
      refresh();
    },
  });
  const mayDecide = permissions.has("parts:approve");
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          onClick={() => {
            setProblem(null);
            form.setFieldsValue({ note: "", lines: [{ part_no: "", counted: 0 }] });
            setCounting(true);
          }}
        >
          {t("counts.new")}
        </Button>
      </Space>
      {(counts.error || decide.error) && <ProblemAlert error={counts.error ?? decide.error} what={t("counts.title")} />}
      <Table
        rowKey="id"
        size="small"
        loading={counts.isLoading}
        dataSource={counts.data?.items ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        expandable={{
          expandedRowRender: (c: Count) => (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.lines}
              columns={[
                { title: t("parts.partNo"), dataIndex: "part_no" },
                { title: t("counts.expected"), dataIndex: "expected" },
                { title: t("counts.counted"), dataIndex: "counted" },
                {
                  title: t("counts.variance"),
                  dataIndex: "variance",
                  render: (v: string) => <Tag color={Number(v) === 0 ? TONE.green : TONE.red}>{v}</Tag>,
                },
                { title: t("counts.varianceValue"), dataIndex: "variance_value" },
              ]}
            />
          ),
        }}
        columns={[
          { title: t("counts.at"), dataIndex: "counted_at", render: (at: string) => dayjs(at).format("MM-DD HH:mm") },
          { title: t("counts.by"), dataIndex: "counted_by" },
          { title: t("counts.lines"), render: (_: unknown, c: Count) => c.lines.length },
          {
            title: t("counts.differences"),
            render: (_: unknown, c: Count) => c.lines.filter((line) => Number(line.variance) !== 0).length,
          },
          { title: t("counts.varianceValue"), dataIndex: "variance_value" },
          { title: t("common.notes"), dataIndex: "note", render: (note: string | null) => note ?? "—" },
          {
            title: t("purchase.state"),
            dataIndex: "state",
            render: (s: string) => <Tag color={STATE_TONE[s]}>{t(`counts.states.${s}`)}</Tag>,
          },
          {
            title: t("common.actions"),
            render: (_: unknown, c: Count) =>
              mayDecide && c.allowed_transitions.length > 0 ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => decide.mutate({ which: c, to: "approved" })}>
                    {t("counts.approve")}
                  </Button>
                  <Button size="small" onClick={() => decide.mutate({ which: c, to: "rejected" })}>
                    {t("counts.reject")}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={counting}
        title={t("counts.new")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={count.isPending}
        onCancel={() => setCounting(false)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} name="stock-count" layout="vertical" onFinish={(entry) => count.mutate(entry)}>
          <PartLines qty={{ name: "counted", label: t("counts.counted"), min: 0 }} blank={{ part_no: "", counted: 0 }} />
          <Form.Item name="note" label={t("common.notes")} style={{ marginTop: 12 }}>
            <Input maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
