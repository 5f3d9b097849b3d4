import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Modal, Select, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { roleName, roleOptions } from "../../roles";
import { PageTitle } from "../../components/PageTitle";

type UserIn = components["schemas"]["UserIn"];

/** The general manager's staff accounts: who may sign in, as which role. */
export default function Users() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<UserIn>();
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const users = useQuery({ queryKey: ["users"], queryFn: () => call(api.GET("/api/v1/users")) });
  const roles = useQuery({ queryKey: ["roles"], queryFn: () => call(api.GET("/api/v1/roles")), staleTime: Infinity });
  const create = useMutation({
    mutationFn: (body: UserIn) => call(api.POST("/api/v1/users", { body })),
    onSuccess: () => {
      message.success(t("users.created"));
      setAdding(false);
      form.resetFields();
      void queries.invalidateQueries({ queryKey: ["users"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  return (
    <Card
      title={
        <PageTitle>
          {t("users.title")}
        </PageTitle>
      }
      extra={
        <Button type="primary" onClick={() => setAdding(true)}>
          {t("users.new")}
        </Button>
      }
    >
      {users.error && <ProblemAlert error={users.error} onRetry={() => void users.refetch()} />}
      <Table
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 560 }}
        columns={[
          { title: t("users.username"), dataIndex: "username" },
          { title: t("users.role"), dataIndex: "role", render: (role: string) => roleName(t, role) },
          { title: t("users.employeeNo"), dataIndex: "employee_no" },
          { title: t("users.team"), dataIndex: "team" },
          { title: t("users.active"), dataIndex: "active", render: (on: boolean) => <Tag color={on ? TONE.green : TONE.grey}>{String(on)}</Tag> },
        ]}
      />
      <Modal
        open={adding}
        title={t("users.new")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        onCancel={() => setAdding(false)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<UserIn>
          form={form}
          layout="vertical"
          onFinish={(values) => {
            setProblem(null);
            create.mutate({ ...values, employee_no: values.employee_no || null, team: values.team || null });
          }}
        >
          <Form.Item name="username" label={t("users.username")} rules={[{ required: true }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="password" label={t("users.password")} rules={[{ required: true }]}>
            <Input.Password maxLength={256} autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={t("users.role")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={roleOptions(t, roles.data)} />
          </Form.Item>
          <Form.Item name="employee_no" label={t("users.employeeNo")}>
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="team" label={t("users.team")}>
            <Input maxLength={64} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
